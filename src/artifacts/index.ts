/**
 * The shipped artifact kinds, each a descriptor Schema (the single source of truth for the facts
 * about its data) with the readers a user's stage needs to consume it. The writers stay with the
 * shipped stages that produce these kinds.
 */
export { ProfileTable, readProfileCodes, type ProfileTableDescriptor } from "./profile-table.js"
export {
  VectorMatrix,
  openVectorRows,
  readVectorIds,
  readVectorRows,
  readVectors,
  type MatrixRowReader,
  type VectorMatrixDescriptor,
  type VectorMatrixFiles
} from "./vector-matrix.js"
export {
  ClusterAssignment,
  ClusterMetrics,
  readAssignments,
  readCentroids,
  readClusterMetrics,
  type ClusterAssignmentDescriptor
} from "./cluster-assignment.js"
export { AnnIndex, AnnIndexTuning, openAnnIndex, readAnnIndexTuning, type AnnIndexDescriptor } from "./ann-index.js"
export { ExhaustiveTop, readExhaustiveTop, type ExhaustiveTopDescriptor } from "./exhaustive-top.js"
export { MatchEvaluation, readMatchEvaluation, type MatchEvaluationDescriptor } from "./match-evaluation.js"
export { HtmlReport, type HtmlReportDescriptor } from "./html-report.js"
