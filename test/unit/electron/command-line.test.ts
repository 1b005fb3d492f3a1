import { describe, expect, it } from 'vitest';
import { cliArgumentsOf } from '../../../main/electron/command-line';

describe('ForceSites --cli: which starts run the command line', () => {
  it('takes the arguments after --cli from a packaged binary', () => {
    expect(cliArgumentsOf(['/Applications/ForceSites.app/Contents/MacOS/ForceSites', '--cli', 'sync', 'Shop', '--json'], true)).toEqual(['sync', 'Shop', '--json']);
  });

  it('skips the app folder Electron is given in development', () => {
    expect(cliArgumentsOf(['/usr/lib/electron/electron', '.', '--cli', 'sites'], false)).toEqual(['sites']);
  });

  it('starts the window for anything else, including --cli further along', () => {
    expect(cliArgumentsOf(['ForceSites'], true)).toBeUndefined();
    expect(cliArgumentsOf(['ForceSites', '--no-sandbox', '--cli', 'sites'], true)).toBeUndefined();
    // A development start's app folder is not mistaken for the switch.
    expect(cliArgumentsOf(['electron', '--cli'], false)).toBeUndefined();
  });

  it('an empty command after --cli still reaches the command line (which prints its usage)', () => {
    expect(cliArgumentsOf(['ForceSites', '--cli'], true)).toEqual([]);
  });
});
