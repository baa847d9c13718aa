import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printedSchema } from './schema';

/** `npm run schema`: writes schema.graphql at the repository root from the code. */
printedSchema().then((sdl) => {
  const target = path.resolve(__dirname, '../../schema.graphql');
  fs.writeFileSync(target, sdl);
  console.log(`wrote ${target}`);
});
