import { AuthFlowProvider } from '../features/connections/auth-flow';
import { AppProvider } from './app-context';
import { AppShell } from './app-shell';

export function App() {
  return (
    <AppProvider>
      <AuthFlowProvider>
        <AppShell />
      </AuthFlowProvider>
    </AppProvider>
  );
}
