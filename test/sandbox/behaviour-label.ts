/**
 * The image config label that says what the sandbox makes a container of the image do (behaviour-image.ts,
 * moto-ecs/registry.py, compose-host/): healthy (also when absent), crash, unhealthy, slow=<seconds>. Its own
 * module so the compose host's docker CLI reads it without loading packages/core.
 */
export const behaviourLabel = 'sandbox.ecs.behaviour';
