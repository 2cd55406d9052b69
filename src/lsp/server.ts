/**
 * `kconfsat lsp`: the Language Server Protocol over a pair of streams, on an
 * EditorWorkspace. The protocol (framing, JSON-RPC, unknown methods, request
 * errors) is vscode-languageserver's; this file only converts positions and
 * shapes, and refuses bad input with a protocol error while it goes on serving.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  MarkupKind,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type DidChangeTextDocumentParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type InitializeResult,
  type Location,
  type Position,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditorWorkspace, type EditorDiagnostic, type EditorOptions, type SymbolHover } from '../analysis/editor.js';
import { formatInterval } from '../analysis/values.js';
import { formatExplanation } from '../io/explanation.js';
import { KconfsatError, type SourceLocation } from '../errors.js';

export interface LspServerOptions {
  /** The workspace for a tree: the client's root folder, else `defaultTree`. */
  workspace: (tree: string) => EditorOptions;
  defaultTree: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Starts serving; the connection ends with the client's `exit`. */
export function startLspServer(options: LspServerOptions): Connection {
  const connection = createConnection(options.input, options.output);
  const documents = new Map<string, TextDocument>();
  let workspace: EditorWorkspace | undefined;
  const pending = new Set<string>();

  const ws = (): EditorWorkspace => {
    if (!workspace) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized');
    return workspace;
  };
  /** The tree-relative file of a document URI; a protocol error for anything else. */
  const fileOf = (uri: unknown): string => {
    if (typeof uri !== 'string' || !uri.startsWith('file:')) throw invalid(`not a file URI: ${JSON.stringify(uri)}`);
    try {
      return ws().relativeName(fileURLToPath(uri));
    } catch (e) {
      throw e instanceof KconfsatError ? invalid(e.format()) : invalid(`not a file URI: ${uri}`);
    }
  };
  const uriOf = (file: string): string => pathToFileURL(path.join(ws().root, file)).href;
  /** A position from request params: 0-based line and UTF-16 character, as 1-based line and column. */
  const positionOf = (params: unknown): { file: string; line: number; column: number } => {
    const p = params as { textDocument?: { uri?: unknown }; position?: Partial<Position> } | undefined;
    const pos = p?.position;
    if (!pos || !isIndex(pos.line) || !isIndex(pos.character)) throw invalid('expected textDocument and position {line, character}');
    return { file: fileOf(p.textDocument?.uri), line: pos.line + 1, column: pos.character + 1 };
  };
  const location = (loc: SourceLocation): Location => {
    const start = { line: loc.line - 1, character: Math.max(0, loc.column - 1) };
    return { uri: uriOf(loc.file), range: { start, end: start } };
  };
  /** Answers a request; a user error (a file outside the tree, an unknown symbol) as invalid params. */
  const answer = async <T>(work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof KconfsatError) throw invalid(e.format());
      throw e;
    }
  };

  /**
   * Diagnostics are computed once the edits queued in this turn are applied;
   * the reasons of dead symbols follow in a second round, unless the document
   * changed meanwhile.
   */
  const publishSoon = (uri: string): void => {
    if (pending.size === 0) setImmediate(publish);
    pending.add(uri);
  };
  const send = (uri: string, version: number, reasons: boolean): boolean => {
    const found = ws().diagnostics(fileOf(uri), { reasons });
    void connection.sendDiagnostics({ uri, version, diagnostics: found.map(toDiagnostic) });
    return found.some((d) => d.kind === 'dead');
  };
  const publish = (): void => {
    const explain: [string, number][] = [];
    for (const uri of pending) {
      pending.delete(uri);
      const version = documents.get(uri)?.version;
      if (version !== undefined && send(uri, version, false)) explain.push([uri, version]);
    }
    if (explain.length === 0) return;
    setImmediate(() => {
      for (const [uri, version] of explain) if (!pending.has(uri) && documents.get(uri)?.version === version) send(uri, version, true);
    });
  };
  /** A notification cannot be answered: bad input in one is shown to the user and ignored. */
  const refuse = (what: string, e: unknown): void => {
    const message = e instanceof ResponseError || e instanceof KconfsatError ? e.message : String(e);
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `kconfsat: ${what} ignored: ${message}` });
  };

  connection.onInitialize((params): InitializeResult => {
    const root = params.rootUri?.startsWith('file:') ? fileURLToPath(params.rootUri) : (params.rootPath ?? options.defaultTree);
    const init = params.initializationOptions as { arches?: unknown } | undefined;
    if (init?.arches !== undefined && !(Array.isArray(init.arches) && init.arches.every((a) => typeof a === 'string'))) {
      throw invalid('initializationOptions.arches must be a list of arch names');
    }
    try {
      const config = options.workspace(root);
      if (init?.arches) config.arches = init.arches as string[];
      workspace = new EditorWorkspace(config);
    } catch (e) {
      if (e instanceof KconfsatError) throw invalid(e.format());
      throw e;
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: {},
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'kconfsat' },
    };
  });

  // A notification has no reply: a bad one is refused on the log, and the server goes on.
  const notification =
    <P>(method: string, handle: (params: P) => void) =>
    (params: P): void => {
      try {
        handle(params);
      } catch (e) {
        refuse(method, e);
      }
    };
  /** The editor's text of a document becomes the workspace's, and its diagnostics follow. */
  const accept = (doc: TextDocument): void => {
    ws().update(fileOf(doc.uri), doc.getText());
    documents.set(doc.uri, doc);
    publishSoon(doc.uri);
  };

  connection.onDidOpenTextDocument(
    notification('didOpen', (params: DidOpenTextDocumentParams) => {
      const { uri, languageId, version, text } = params.textDocument;
      if (typeof text !== 'string' || !isIndex(version)) throw invalid('didOpen needs the text and version');
      accept(TextDocument.create(uri, languageId, version, text));
    }),
  );

  connection.onDidChangeTextDocument(
    notification('didChange', (params: DidChangeTextDocumentParams) => {
      const uri = params.textDocument?.uri;
      const doc = documents.get(uri);
      if (!doc) throw invalid(`${uri} is not open`);
      const changes = params.contentChanges;
      if (!Array.isArray(changes) || !changes.every((c) => validChange(doc, c))) throw invalid('malformed edit: every change needs its text and a range inside the document');
      const version = isIndex(params.textDocument.version) ? params.textDocument.version : doc.version + 1;
      accept(TextDocument.update(doc, changes, version));
    }),
  );

  connection.onDidCloseTextDocument(
    notification('didClose', (params: DidCloseTextDocumentParams) => {
      const uri = params.textDocument?.uri;
      if (!documents.delete(uri)) return;
      ws().close(fileOf(uri));
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );

  connection.onHover((params) =>
    answer(() => {
      const { file, line, column } = positionOf(params);
      const hover = ws().hover(file, line, column);
      return hover ? { contents: { kind: MarkupKind.Markdown, value: hoverText(hover) } } : null;
    }),
  );

  connection.onDefinition((params) =>
    answer(() => {
      const { file, line, column } = positionOf(params);
      return ws().definition(file, line, column).map(location);
    }),
  );

  connection.onReferences((params) =>
    answer(() => {
      const { file, line, column } = positionOf(params);
      return ws().references(file, line, column).map(location);
    }),
  );

  connection.onCompletion((params) =>
    answer(() => {
      const { file, line, column } = positionOf(params);
      return ws()
        .completion(file, line, column)
        .map((c) => ({ label: c.name, kind: CompletionItemKind.Variable, detail: c.prompt !== undefined ? `${c.type} "${c.prompt}"` : c.type }));
    }),
  );

  connection.onCodeAction((params) =>
    answer(async () => {
      const line = params.range?.start?.line;
      if (!isIndex(line)) throw invalid('expected textDocument and range');
      const uri = params.textDocument?.uri;
      const file = fileOf(uri);
      const fixes = await ws().fixes(file, line + 1);
      return fixes.map((f): CodeAction => {
        const { edit } = f.repair;
        const text = edit.insert.map((l) => `${l}\n`).join('');
        const range = { start: { line: edit.line - 1, character: 0 }, end: { line: edit.line - 1 + edit.deleteCount, character: 0 } };
        return {
          title: f.title,
          kind: CodeActionKind.QuickFix,
          isPreferred: f.preferred,
          diagnostics: (params.context?.diagnostics ?? []).filter((d) => d.data && (d.data as { symbol?: string }).symbol === f.finding.selectee),
          edit: { changes: { [uriOf(edit.file)]: [{ range, newText: text }] } },
        };
      });
    }),
  );

  connection.listen();
  return connection;
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function isIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** A change the document can take: a whole new text, or a text for a range that lies inside it. */
function validChange(doc: TextDocument, change: TextDocumentContentChangeEvent): boolean {
  if (typeof change?.text !== 'string') return false;
  if (!('range' in change)) return true;
  const { start, end } = change.range ?? {};
  const inside = (p: Position | undefined): boolean => {
    if (!p || !isIndex(p.line) || !isIndex(p.character) || p.line > doc.lineCount) return false;
    const lineText = doc.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return p.character <= lineText.length || (p.line === doc.lineCount && p.character === 0);
  };
  return inside(start) && inside(end) && doc.offsetAt(start!) <= doc.offsetAt(end!);
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

function toDiagnostic(d: EditorDiagnostic): Diagnostic {
  const line = d.loc.line - 1;
  const start = Math.max(0, d.loc.column - 1);
  let message = d.message;
  if (d.finding) {
    // The witness values that matter: the selector and what the selectee depends on.
    const names = [...new Set([d.finding.selector, ...(d.finding.dependsOn.match(/[A-Za-z0-9_]+/g) ?? [])])];
    for (const f of d.finding.findings) {
      // A .config leaves out what is n.
      const values = names.map((n) => `${n}=${f.witness.find((e) => e.name === n)?.value ?? 'n'}`);
      message += `\nwitness${f.arch ? ` on ${f.arch}` : ''}: ${values.join(' ')}`;
    }
  }
  if (d.reason?.chain.length) message += `\n${formatExplanation(d.reason, '').join('\n')}`;
  return {
    range: { start: { line, character: start }, end: { line, character: Math.max(start, d.endColumn - 1) } },
    severity: SEVERITY[d.severity],
    source: 'kconfsat',
    code: d.kind,
    message,
    data: { symbol: d.symbol, arches: d.arches },
  };
}

function hoverText(h: SymbolHover): string {
  const lines = [`**${h.symbol}** (${h.type})${h.prompts.map((p) => ` "${p}"`).join('')}`, ''];
  for (const a of h.arches) {
    const where = a.arch ? `on ${a.arch}` : 'in this tree';
    const values = a.values.intervals ? a.values.intervals.map(formatInterval) : a.values.values.map((v) => (a.values.type === 'string' ? JSON.stringify(v) : v));
    lines.push(`- ${where}: can be ${values.join(', ') || 'nothing (no valid configuration)'}${a.values.otherStrings ? ', or another string' : ''}`);
    if (a.neverY) {
      const forced = a.values.values.includes('y') ? ' (only a select forcing it past them makes it y)' : '';
      lines.push(`  - ${h.symbol} cannot be y ${where} with its dependencies met${forced}:`);
      lines.push(...formatExplanation(a.neverY, '    ').map((l) => `${l}`));
    }
  }
  return lines.join('\n');
}
