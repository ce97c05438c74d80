/** The Progress Layers and helpers, for the CLI and tests to import from one place. */
export { ProgressAuto, chooseProgressRenderer, type AutoProgressOptions, type ProgressRendererKind } from "./auto-progress.js"
export { ProgressPlain, makePlainProgress, type PlainProgressOptions } from "./plain-progress.js"
export { ProgressRecorder, type ProgressRecorderService } from "./recorder-progress.js"
export { makeStageProgress, stageProgressLayer } from "../../runtime/run/stage-progress.js"
export { ProgressTerminal, makeTerminalRenderer, type TerminalProgressOptions, type TerminalSize } from "./terminal-progress.js"
export type { ProgressWriter } from "./writer.js"
