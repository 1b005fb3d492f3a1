import { render, screen, type RenderResult } from '@testing-library/react';
import { App } from '../../renderer/src/app/app';

/** Opens the app at `#/<page>` and waits for the page heading. */
export async function renderApp(page: string, heading: string | RegExp = new RegExp(`^${page}$`, 'i')): Promise<RenderResult> {
  window.location.hash = `#/${page}`;
  const result = render(<App />);
  await screen.findByRole('heading', { level: 1, name: heading });
  return result;
}
