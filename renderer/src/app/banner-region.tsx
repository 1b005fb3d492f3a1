import { useEffect, useState } from 'react';
import type { Banner } from '../../../common/models';
import { on } from '../bridge';

/**
 * Messages main pushes to every window (`app:banner`): a lost approval, an expired token,
 * a sync that needs attention. Info banners are polite status; warnings and errors are alerts.
 * Both live regions stay in the DOM so screen readers announce what is added. Main withdraws
 * a banner with `app:banner-cleared` when its problem is gone.
 */
export function BannerRegion() {
  const [banners, setBanners] = useState<readonly Banner[]>([]);

  useEffect(() => {
    const offBanner = on('app:banner', (banner) => {
      // A banner with a known id replaces the old one (main updates, it does not repeat).
      setBanners((current) => [...current.filter((existing) => existing.id !== banner.id), banner]);
    });
    // Main withdraws a banner once its problem is gone (a site that recovered).
    const offCleared = on('app:banner-cleared', ({ id }) => setBanners((current) => current.filter((banner) => banner.id !== id)));
    return () => {
      offBanner();
      offCleared();
    };
  }, []);

  const dismiss = (id: string) => setBanners((current) => current.filter((banner) => banner.id !== id));
  const polite = banners.filter((banner) => banner.level === 'info');
  const urgent = banners.filter((banner) => banner.level !== 'info');

  return (
    <div className="banners">
      <div role="alert" className="banner-list">
        {urgent.map((banner) => (
          <BannerView key={banner.id} banner={banner} onDismiss={dismiss} />
        ))}
      </div>
      <div role="status" className="banner-list">
        {polite.map((banner) => (
          <BannerView key={banner.id} banner={banner} onDismiss={dismiss} />
        ))}
      </div>
    </div>
  );
}

function BannerView({ banner, onDismiss }: { readonly banner: Banner; readonly onDismiss: (id: string) => void }) {
  const label = banner.level === 'error' ? 'Error' : banner.level === 'warning' ? 'Warning' : 'Notice';
  return (
    <div className={`banner banner-${banner.level}`} data-banner-id={banner.id}>
      <span className="banner-level">{label}:</span> <span className="banner-message">{banner.message}</span>
      <button type="button" className="button-quiet banner-dismiss" onClick={() => onDismiss(banner.id)} aria-label={`Dismiss: ${banner.message}`}>
        Dismiss
      </button>
    </div>
  );
}
