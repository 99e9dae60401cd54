/**
 * Which video the app was asked to open on its command line (`avs-annotator-app clip.mp4`, `--open clip.mp4`,
 * or a file handed over by the OS). Plain function, no Electron import, so it is unit-tested.
 * `skip` = leading entries that are not user arguments (2 in development: electron + main script; 1 packaged).
 */
export function videoFromArgv(argv: readonly string[], skip: number): string | undefined {
  const args = argv.slice(skip);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--open' && args[i + 1]) return args[i + 1];
    if (arg.startsWith('--open=')) return arg.slice('--open='.length) || undefined;
  }
  // Chromium and Electron switches start with '-'; the first plain argument is the file.
  return args.find((a) => !a.startsWith('-'));
}
