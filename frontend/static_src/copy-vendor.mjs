// Copy third-party browser files that are served as they are.
//
// Only Leaflet (maps) is copied, into static/frontend/vendor/leaflet/.
// axe-core is a development tool and is never copied into static files.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const leafletDist = join(root, 'node_modules', 'leaflet', 'dist')
const target = join(root, 'static', 'frontend', 'vendor', 'leaflet')

// leaflet.js ends with a sourceMappingURL comment: Django's manifest static
// files storage follows it during collectstatic, so the map must be present.
const files = ['leaflet.js', 'leaflet.js.map', 'leaflet.css', 'images']

for (const name of files) {
  if (!existsSync(join(leafletDist, name))) {
    console.error(`copy-vendor: ${join(leafletDist, name)} is missing; run npm install first`)
    process.exit(1)
  }
}

rmSync(target, { recursive: true, force: true })
mkdirSync(target, { recursive: true })

for (const name of files) {
  cpSync(join(leafletDist, name), join(target, name), { recursive: true })
}

console.log(`copy-vendor: Leaflet copied to ${relative(root, target)}`)
