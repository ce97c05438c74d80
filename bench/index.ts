/**
 * `npm run bench [-- NAME...]`: runs the named benchmarks (all when none is named). Benchmarks print
 * figures; they never pass or fail on time.
 */
const benches: Record<string, () => Promise<{ main: (args: ReadonlyArray<string>) => Promise<void> }>> = {
  "ann-recall": () => import("./ann-recall.js"),
  faiss: () => import("./faiss.js"),
  matching: () => import("./matching.js"),
  profiles: () => import("./profiles.js"),
  pipeline: () => import("./pipeline.js"),
  serve: () => import("./serve.js"),
  cluster: () => import("./cluster.js"),
}

// Bench names come first, flags after: `npm run bench -- faiss --rows 50000`.
const [, , ...args] = process.argv
const firstFlag = args.findIndex((a) => a.startsWith("-"))
const names = firstFlag === -1 ? args : args.slice(0, firstFlag)
const flags = firstFlag === -1 ? [] : args.slice(firstFlag)
const unknown = names.filter((name) => benches[name] === undefined)
if (unknown.length > 0) {
  console.error(`unknown benchmark '${unknown[0]}'; known: ${Object.keys(benches).join(", ")}`)
  process.exit(2)
}
for (const name of names.length === 0 ? Object.keys(benches) : names) {
  console.log(`\n=== bench ${name} ===`)
  const mod = await benches[name]!()
  await mod.main(flags)
}
