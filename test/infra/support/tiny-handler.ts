/** A handler without dependencies: bundling it exercises the construct's build steps in a second. */
export async function handler(): Promise<string> {
  return 'ok';
}
