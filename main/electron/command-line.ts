/**
 * `ForceSites --cli <command> …`: the packaged app has no Node runtime of its own (its
 * `runAsNode` fuse is off), so the desktop binary itself runs the `forcesites` command line
 * when its first argument is `--cli`, without a window and without the single-instance lock
 * (the command may run beside an open app: the local database and the per-site run slots keep
 * them apart).
 */
export const CLI_SWITCH = '--cli';

/**
 * The command line's own arguments, or undefined for a normal start. A packaged binary is
 * `ForceSites [args]`; in development Electron runs as `electron <app folder> [args]`.
 */
export function cliArgumentsOf(argv: readonly string[], isPackaged: boolean): readonly string[] | undefined {
  const own = argv.slice(isPackaged ? 1 : 2);
  return own[0] === CLI_SWITCH ? own.slice(1) : undefined;
}
