/** SARIF 2.1.0 for code-scanning tools: every rule code with its default level. */
import { RULES } from '../../../domain/rules/index.js';
import { jsonText } from '../../../io/escape.js';
import type { Reporter, Write } from './index.js';

export function sarifReporter(write: Write): Reporter {
  let first = true;
  const rules = Object.entries(RULES).map(([id, r]) => ({
    id,
    defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
  }));
  return {
    start() {
      const head = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
      };
      const driver = { name: 'handover', rules };
      write(`${jsonText(head).slice(0, -1)},"runs":[{"tool":{"driver":${jsonText(driver)}},"results":[`);
    },
    file(r) {
      for (const f of r.findings) {
        const region = f.line !== null ? { startLine: f.line, startColumn: f.column } : undefined;
        const result = {
          ruleId: f.rule,
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.file.split('\\').join('/') },
                ...(region ? { region } : {}),
              },
              logicalLocations: [{ fullyQualifiedName: f.pointer || '/', kind: 'member' }],
            },
          ],
        };
        write(`${first ? '' : ','}\n${jsonText(result)}`);
        first = false;
      }
    },
    end() {
      write('\n]}]}\n');
    },
  };
}
