import { actionSchema } from './workflow-parser-schemas.js';

/** The action schema as the default export the parser's `import ActionSchema from …json` expects. */
export default actionSchema;
