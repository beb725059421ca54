/**
 * OpenFn CLI rule for step strings (`expression`, `configuration`, `state`): a
 * single line ending in a job or JSON extension is a file path, anything else is
 * inline content or a credential id. Unlike the CLI we require the dot, so a
 * credential id such as `my-secrets` is not mistaken for a file.
 */
export const isPath = (value: string): boolean => !value.includes('\n') && /\.(ts|js|mjs|json|ojs)$/.test(value.trim());
