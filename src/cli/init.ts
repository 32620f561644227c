// Placeholder replaced within this session by the real command.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('kubeauth init: not implemented yet\n');
  return 1;
}
