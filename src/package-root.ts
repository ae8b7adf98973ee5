// Where the package's own data (proto/, discovery-templates/, package.json) lives, both
// when running the sources under ts-jest and the compiled code from dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot(__dirname);

export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}

const packageJson = JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as {
  name: string;
  version: string;
};

export const BRIDGE_NAME: string = packageJson.name;
export const BRIDGE_VERSION: string = packageJson.version;
