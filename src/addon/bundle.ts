// `npm run addon:bundle`: puts the bridge's sources into addon/app/, the folder the add-on's
// Dockerfile builds from, since the Supervisor builds an add-on from its own folder alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';

/** What the image needs to build and run the bridge, relative to the project's root. */
export const BUNDLED = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'src',
  'bench',
  'proto',
  'discovery-templates',
];

export function bundleAddon(root: string, target: string): string[] {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const copied: string[] = [];
  for (const entry of BUNDLED) {
    const from = path.join(root, entry);
    const to = path.join(target, entry);
    if (!fs.existsSync(from)) {
      // An empty folder git does not keep still has to exist for the image's COPY.
      fs.mkdirSync(to, { recursive: true });
      continue;
    }
    fs.cpSync(from, to, { recursive: true });
    copied.push(entry);
  }
  return copied;
}

if (require.main === module) {
  const target = path.join(PACKAGE_ROOT, 'addon', 'app');
  const copied = bundleAddon(PACKAGE_ROOT, target);
  process.stdout.write(`copied ${copied.join(', ')} into ${target}\n`);
}
