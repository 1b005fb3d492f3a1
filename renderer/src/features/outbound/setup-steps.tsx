import { useId } from 'react';
import type { OutboundSettingsDto } from '../../../../common/outbound-models';
import { CopyButton } from './copy-button';

/** The Salesforce setup, step by step, with every value to type or select and a Copy button for each. */
export function SetupSteps({ settings }: { readonly settings: OutboundSettingsDto }) {
  const headingId = useId();
  return (
    <section className="outbound-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Set up Salesforce</h2>
      <ol className="outbound-setup">
        {settings.setupSteps.map((step) => (
          <li key={step.title}>
            <h3>{step.title}</h3>
            <p>{step.detail}</p>
            {step.values !== undefined && (
              <dl className="outbound-values">
                {step.values.map((value) => (
                  <div key={value.label} className="outbound-value">
                    <dt>{value.label}</dt>
                    <dd>
                      <code>{value.value}</code> <CopyButton text={value.value} label={`Copy ${value.label}`} />
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
