-- Neovim's built-in LSP client against `kconfsat lsp`, as an editor user meets it:
-- open drivers/xen/Kconfig of the seed tree, read the diagnostics, hover on
-- ZONE_DEVICE, apply the preferred code action, wait for the diagnostic to go.
-- Run headless by test/lsp/nvim.test.ts; writes what it saw as JSON to $KCONFSAT_NVIM_OUT.
local out = os.getenv('KCONFSAT_NVIM_OUT')
local tree = os.getenv('KCONFSAT_NVIM_TREE')
local results = { messages = {} }

local function run()
  local client_id = vim.lsp.start_client({
    name = 'kconfsat',
    cmd = { os.getenv('KCONFSAT_NODE'), os.getenv('KCONFSAT_MAIN'), 'lsp' },
    root_dir = tree,
    init_options = { arches = { 'i386', 'x86_64' } },
    handlers = {
      ['window/showMessage'] = function(_, result)
        table.insert(results.messages, result.message)
      end,
    },
  })
  assert(client_id, 'the server did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(tree .. '/drivers/xen/Kconfig'))
  local bufnr = vim.api.nvim_get_current_buf()
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'cannot attach')
  local uri = vim.uri_from_bufnr(bufnr)

  assert(vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50), 'no diagnostics')
  results.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(results.diagnostics, { line = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, message = d.message })
  end

  -- Line 13 (0-based 12) is "\tselect ZONE_DEVICE": the cursor on the Z of ZONE_DEVICE.
  vim.api.nvim_win_set_cursor(0, { 13, 8 })
  local position = { line = 12, character = 8 }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = position }, 60000)
  results.hover = hover[client_id].result.contents.value

  local definition = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', { textDocument = { uri = uri }, position = position }, 60000)
  results.definition = definition[client_id].result

  -- Debian 12's Neovim 0.7 has this; later ones dropped it, and the server needs no diagnostics to find the fixes.
  local get_line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics
  local line_diagnostics = get_line_diagnostics and get_line_diagnostics(bufnr, 12) or {}
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = position, ['end'] = position },
    context = { diagnostics = line_diagnostics },
  }, 120000)
  results.actions = {}
  local preferred
  for _, action in ipairs(actions[client_id].result or {}) do
    table.insert(results.actions, action.title)
    if action.isPreferred then preferred = action end
  end
  assert(preferred, 'no preferred code action')
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  results.line13 = vim.api.nvim_buf_get_lines(bufnr, 12, 13, false)[1]

  results.cleared = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50)
end

local ok, err = pcall(run)
if not ok then results.error = tostring(err) end
local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(results))
file:close()
vim.cmd('qa!')
