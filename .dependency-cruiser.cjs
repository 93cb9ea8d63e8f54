/**
 * The rooms of src/ and what each may import: ARCHITECTURE.md in a form `npm run lint` holds
 * (an import no row allows fails the build). A room may always import itself, core/ (errors,
 * paths), node's built-ins and npm packages. Keep this file and ARCHITECTURE.md's table alike.
 */
const ROOMS = {
  core: [],
  domain: ['schema/types'],
  io: ['domain'],
  schema: ['domain', 'io'],
  config: ['domain', 'io', 'schema'],
  i18n: ['domain'],
  keystore: ['config', 'io', 'signing/certs'],
  signing: ['domain', 'io', 'keystore', 'config', 'schema/directory-types'],
  letter: ['domain', 'i18n', 'io', 'schema'],
  register: ['config', 'domain', 'io', 'schema', 'signing/trust'],
  documents: ['domain', 'schema', 'signing', 'letter', 'keystore', 'register', 'io', 'i18n'],
  interview: ['domain', 'i18n', 'schema'],
  prompts: ['i18n', 'interview'],
  services: ['documents', 'domain', 'schema', 'signing', 'letter', 'keystore', 'register', 'io', 'i18n', 'config', 'interview'],
  cli: ['config', 'i18n', 'io', 'keystore', 'prompts', 'register'],
  hooks: ['cli', 'config', 'i18n', 'io'],
  commands: ['cli', 'services', 'prompts', 'i18n'],
};

const target = (t) => (t.includes('/') ? `^src/${t}\\.ts$` : `^src/${t}/`);

module.exports = {
  allowedSeverity: 'error',
  allowed: [
    { comment: 'npm packages and node built-ins', from: {}, to: { pathNot: '^src/' } },
    { comment: 'within a room, and core/ from anywhere', from: { path: '^src/([^/]+)/' }, to: { path: ['^src/$1/', '^src/core/'] } },
    ...Object.entries(ROOMS)
      .filter(([, to]) => to.length > 0)
      .map(([room, to]) => ({ comment: `${room} may import ${to.join(', ')}`, from: { path: `^src/${room}/` }, to: { path: to.map(target) } })),
    {
      comment: 'documents may name a config type (letter-files); the values come from its caller',
      from: { path: '^src/documents/' },
      to: { path: '^src/config/', dependencyTypes: ['type-only'] },
    },
  ],
  forbidden: [
    {
      name: 'no-circular-files',
      severity: 'error',
      comment: 'A file cycle makes load order matter and hides a missing room.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'service-feature-private',
      severity: 'error',
      comment: 'A service that grew into a folder is used by its command only, not by another service.',
      from: { path: '^src/services/([^/.]+)' },
      to: { path: '^src/services/[^/]+/', pathNot: '^src/services/$1/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
