/**
 * `npm run bench [-- NAME...]`: runs the named benchmarks (all when none is named). Benchmarks print
 * figures; they never pass or fail on time.
 */
const benches: Record<string, () => Promise<{ main: (args: ReadonlyArray<string>) => Promise<void> }>> = {
  faiss: () => import("./faiss.js"),
  matching: () => import("./matching.js"),
  profiles: () => import("./profiles.js"),
}

const [, , ...args] = process.argv
const names = args.filter((a) => !a.startsWith("-"))
const selected = names.length === 0 ? Object.keys(benches) : names
for (const name of selected) {
  const load = benches[name]
  if (load === undefined) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(benches).join(", ") || "(none yet)"}`)
    process.exit(2)
  }
  console.log(`\n=== bench ${name} ===`)
  const mod = await load()
  await mod.main(args.filter((a) => a !== name))
}
