// The page's names from the package's Avram schemas: asked of the worker
// once (it has the wasm module), then labels.js names fields, indicators
// and subfields from them.
import { MSG } from './protocol.js';
import { request } from './channel.js';
import { setSchemaLabels } from './labels.js';

let loading = null;

/** Ask the worker for the schemas' labels once; later calls return the
 * same Promise. */
export function loadSchemaLabels() {
  if (!loading) {
    loading = request(MSG.SCHEMA_LABELS, {}).then((m) => {
      if (m.error) throw new Error(m.error);
      setSchemaLabels(m.labels);
    });
    loading.catch(() => { loading = null; });
  }
  return loading;
}
