/** The stage kinds shipped with the product, as the registry the CLI uses. */
import { makeRegistry } from "../runtime/registry.js"
import type { Faiss } from "../services/faiss.js"
import type { Sqlite } from "../services/sqlite.js"
import type { WorkerPool } from "../services/worker-pool.js"
import { exampleNumbers } from "./examples/example-numbers.js"
import { exampleReport } from "./examples/example-report.js"
import { exampleHistogram, exampleStats } from "./examples/example-stats.js"
import { annIndex, annIndexClustered } from "./profiles/ann-index.js"
import { dataKinds } from "./profiles/data-kinds.js"
import { kmeans } from "./profiles/kmeans.js"
import { matchEval, matchEvalExact } from "./profiles/match-eval.js"
import { matchExhaustive } from "./profiles/match-exhaustive.js"
import { report, reportCompare } from "./profiles/report.js"

export const exampleKinds = [exampleNumbers, exampleStats, exampleHistogram, exampleReport] as const

export const profileKinds = [...dataKinds, kmeans, annIndex, annIndexClustered, matchExhaustive, matchEval, matchEvalExact, report, reportCompare] as const

/** Every shipped kind; the profile kinds need FAISS, the worker pool and SQLite. */
export const productRegistry = makeRegistry<Faiss | WorkerPool | Sqlite>([...exampleKinds, ...profileKinds])
