import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { compileSchema, validateCrdSchema } from './apiextensions/schema/index.js';
import { fieldErrorString } from './api/errors.js';
const dir = process.argv[2];
let n = 0;
for (const f of readdirSync(dir)) {
  for (const doc of parseAllDocuments(readFileSync(`${dir}/${f}`, 'utf8'))) {
    const crd = doc.toJSON();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const [i, v] of (crd.spec.versions ?? []).entries()) {
      const s = v.schema?.openAPIV3Schema;
      if (!s) continue;
      n++;
      const t0 = performance.now();
      const errs = validateCrdSchema(s, `spec.versions[${i}].schema.openAPIV3Schema`);
      const t1 = performance.now();
      if (errs.length) console.log(crd.metadata.name, v.name, errs.slice(0, 5).map(fieldErrorString));
      else { compileSchema(s); }
      if (t1 - t0 > 100) console.log('slow', crd.metadata.name, v.name, Math.round(t1 - t0), 'ms');
    }
  }
}
console.log('checked', n);
