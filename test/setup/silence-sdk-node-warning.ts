// Jest setup for every test file. The AWS SDK warns once per process (per module registry under jest, so once per
// test file: 21 times a run) that its releases after January 2027 need Node >= 22. The actions run on node24 where
// the warning never fires; the tests and the sandbox run on the machine's Node 20, where it is noise that hides
// real output. AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is the SDK's own switch
// (@aws-sdk/core emitWarningIfUnsupportedVersion). Only the test process sets it: the bundled actions never do,
// and bundles the harness spawns get an environment built from scratch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
