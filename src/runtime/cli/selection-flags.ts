/** Reads the selection flags (--only, --from, --until, --force) of a parsed command line. */
import type { SelectionFlags } from "../plan/selection.js"
import type { ParsedArgs } from "./args.js"

export const selectionFlags = (args: ParsedArgs): SelectionFlags => ({
  only: args.lists.get("only") ?? [],
  from: args.lists.get("from") ?? [],
  until: args.lists.get("until") ?? [],
  force: args.lists.get("force") ?? []
})
