import { workflowSchema } from './workflow-parser-schemas.js';

/** The workflow schema as the default export the parser's `import WorkflowSchema from …json` expects. */
export default workflowSchema;
