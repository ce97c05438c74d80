/** The shipped artifact kinds: each module is a descriptor Schema with its writers and readers. */
export { ProfileTable } from "./profile-table.js"
export { VectorMatrix } from "./vector-matrix.js"
export { ClusterAssignment } from "./cluster-assignment.js"
export { AnnIndex } from "./ann-index.js"
export { MatchEvaluation } from "./match-evaluation.js"
export { HtmlReport } from "./html-report.js"
