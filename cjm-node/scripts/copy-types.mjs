// Copies the TypeScript types generated from the JSON Schemas (docs/types/cjm.d.ts) into the
// package, where index.d.ts imports them. Run by `npm run build`; __test__/types.test.mjs fails
// when the copy drifts from docs/types.
import { copyFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(packageDir, '..', 'docs', 'types', 'cjm.d.ts')
const target = join(packageDir, 'cjm.d.ts')

if (existsSync(source)) {
  copyFileSync(source, target)
} else if (!existsSync(target)) {
  console.error(`cjm-node: ${source} is missing; generate it with scripts/gen-types first`)
  process.exit(1)
}
