import { useId } from 'react';
import { routeHref } from '../../app/routes';

/** Why sites lose their connection, and the lasting fix, in a few sentences. */
export function ApprovalsExplainer({ cap }: { readonly cap: number }) {
  const headingId = useId();
  return (
    <section className="panel health-explainer" aria-labelledby={headingId}>
      <h2 id={headingId} className="panel-title">
        Why sites get disconnected
      </h2>
      <p>
        Salesforce keeps only a few OAuth approvals per user for each connected app. Salesforce’s help says five per user per connected app; the WordPress
        connector’s guide says four. When the same user authorizes the app once more, Salesforce silently revokes that user’s oldest approval, and whatever
        used it stops working.
      </p>
      <p>
        ForceSites counts against a cap of {cap}. If your org behaves differently, change the cap in <a href={routeHref('settings')}>Settings</a>.
      </p>
      <p>
        <strong>The lasting fix:</strong> a dedicated Salesforce integration user per group of sites, each group smaller than the cap, so no user ever needs
        more approvals than Salesforce keeps.
      </p>
    </section>
  );
}
