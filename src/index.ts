/**
 * kconfsat's public API. Open a Session once per (tree, arch); every analysis
 * takes the session and reuses its encoded solver.
 *
 *   const session = Session.open({ tree: '/usr/src/linux', arch: 'i386' });
 *   const answer = query(session, ['XEN_UNPOPULATED_ALLOC=y']);
 */
export { KconfsatError, formatLocation, type ErrorKind, type SourceLocation } from './errors.js';

// Front end: tree → model.
export { loadKconfig, openTree, type LoadOptions, type LoadedTree } from './model/load.js';
export {
  dependencyCycles,
  describeStep,
  formatCycle,
  wouldCreateCycle,
  type CycleRelation,
  type CycleStep,
  type DependencyCycle,
  type EdgeKind,
  type ExtraEdge,
} from './model/cycles.js';
export { archEnvironment, kernelVersion, listArchitectures, srcArchFor, toolchainEnvironment } from './model/arch.js';
export { DiskSourceFiles, MemorySourceFiles, OUTSIDE_ROOT, type SourceFiles } from './parse/files.js';
export type { Choice, Default, Definition, KconfigModel, KSymbol, MenuEntry, ModelExpr, Prompt, SymbolType } from './model/types.js';

// Formula and solver.
export { Formula, SolverMemoryError, type FormulaOptions, type Scratch, type GroupSolver, type Lean, type SolveOptions, type SolveResult, type Tristate } from './formula/formula.js';

// Analyses.
export {
  Session,
  configValues,
  withArch,
  type ConfigEntry,
  type ConfigValues,
  type Editable,
  type SessionOptions,
  type SessionTimings,
} from './analysis/session.js';
export { query, resolveExpression, type QueryAnswer, type QueryOptions, type QueryStage, type Witness } from './analysis/query.js';
export { explain, type ChainStep, type Explanation, type Fact } from './analysis/explain.js';
export { checkConfig, type CheckResult, type Violation } from './analysis/check.js';
export { formatNewConfig, listNewConfig, type NewConfigSymbol } from './analysis/newconfig.js';
export { menuTree, type MenuNode } from './model/menu.js';
export { possibleValues, type PossibleValues } from './analysis/values.js';
export { deadSymbols, type DeadReport, type DeadSymbol } from './analysis/dead.js';
export { sample, samples, type Sample, type SampleOptions } from './analysis/sample.js';
export { cone } from './analysis/cone.js';
export { audit, groupFindings, type AuditFinding, type AuditGroup, type AuditProgress, type AuditReport } from './analysis/audit.js';
export {
  review,
  reviewArch,
  type ArchPair,
  type ArchReview,
  type ReviewFinding,
  type ReviewOptions,
  type ReviewReport,
  type SymbolChange,
} from './analysis/review.js';
export { symbolSignature } from './model/signature.js';
export { upgrade, type UpgradeChange, type UpgradeOptions, type UpgradeReport } from './analysis/upgrade.js';
export { fix, type FixOptions, type FixReport, type FixResult, type ImpactEntry, type VerifiedRepair } from './analysis/fix.js';
export { repairCandidates, REPAIR_KINDS, type RepairCandidate, type RepairKind, type SkippedRepair } from './analysis/repair.js';
export {
  buildQuery,
  buildValues,
  kbuildInfo,
  NotBuiltError,
  parseTarget,
  type BuildAnswer,
  type BuildQueryOptions,
  type BuildTarget,
  type BuildTargetAnswer,
  type BuildValues,
  type KbuildInfo,
  type KbuildLine,
} from './analysis/builds.js';
export { KbuildTree, objectOf, type KbuildDir, type KbuildObject } from './kbuild/tree.js';
export { lineConditions, type LineConditions } from './kbuild/cpp.js';
export { evaluate as evaluateCondition, type Cond } from './kbuild/condition.js';
export { cover, type CoverConfig, type CoverLine, type CoverOptions, type CoverResult } from './analysis/cover.js';
export { applyPatchesMarking, type AppliedPatches } from './io/apply-patch.js';
export { resolve, type Change, type Diagnosis, type ResolveOptions, type ResolveResult } from './analysis/resolve.js';
export {
  EditorWorkspace,
  type CompletionEntry,
  type EditorDiagnostic,
  type EditorDiagnosticKind,
  type EditorFix,
  type EditorOptions,
  type SymbolHover,
} from './analysis/editor.js';

// Workflows: what a command does over a whole tree (every arch, worker
// threads, the kernel's own conf); the CLI and scripts/ call these.
export { allArches, auditArches, type ArchAuditReport, type ArchProgress, type AuditArchesOptions } from './workflow/arches.js';
export { auditTree, type ArchAuditSummary, type TreeAudit, type TreeAuditOptions } from './workflow/audit.js';
export { confirmFindings, confRunsShell, type ConfirmedFinding, type ConfirmOptions } from './workflow/confirm.js';
export { fixTree, type TreeFixOptions } from './workflow/fix.js';
export { reviewTree, type TreeReviewOptions } from './workflow/review.js';
export { treeStatistics, type TreeStatistics } from './workflow/statistics.js';
export { queryWithTimeout, type QueryWithTimeoutOptions, type TimedOut } from './workflow/deadline.js';
export { buildConf, confEnvironment } from './workflow/reference.js';

// Files.
export { parseDotConfig, serializeDotConfig, writeDotConfig, type DotConfig, type DotConfigEntry } from './io/dotconfig.js';
export { parseDimacs, writeDimacs } from './io/dimacs.js';
export { applyEdit, editSize, unifiedDiff, type SourceEdit } from './io/patch.js';
export { applyPatches, type FileChanges, type PatchText } from './io/apply-patch.js';
export { GitSourceFiles, parseRange, resolveCommit } from './parse/git-files.js';
export { auditSarif, SARIF_SCHEMA, UNMET_DEPENDENCY_RULE, type SarifOptions } from './io/sarif.js';
export { AUDIT_CSV_HEADER, auditCsv, csvField, writeCsv } from './io/csv.js';
export { causingPairs, causingSelectors, pairKey, parseConfWarnings, type ConfWarning } from './io/conf-warnings.js';
