/** The test WordPress's seed is deterministic and fits WordPress's columns (MariaDB would truncate silently). */
import { describe, expect, it } from 'vitest';
import { SEED_LIMITS, seedUsers } from '../../wordpress/seed-users';
import { seedWoocommerce } from '../../wordpress/seed-woocommerce';

const length = (text: string) => [...text].length;

describe('seedUsers', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(seedUsers({ count: 300, seed: 7 })).toEqual(seedUsers({ count: 300, seed: 7 }));
    expect(seedUsers({ count: 300, seed: 8 })).not.toEqual(seedUsers({ count: 300, seed: 7 }));
  });

  it('fits the wp_users columns and keeps logins and slugs unique', () => {
    const users = seedUsers({ count: 5000, seed: 3 });
    for (const user of users) {
      expect(length(user.username)).toBeLessThanOrEqual(SEED_LIMITS.login);
      expect(length(user.slug)).toBeLessThanOrEqual(SEED_LIMITS.nicename);
      expect(length(user.email)).toBeLessThanOrEqual(SEED_LIMITS.email);
      expect(length(user.url)).toBeLessThanOrEqual(SEED_LIMITS.url);
      expect(length(user.name)).toBeLessThanOrEqual(SEED_LIMITS.displayName);
    }
    expect(new Set(users.map((user) => user.username.toLowerCase())).size).toBe(users.length);
    expect(new Set(users.map((user) => user.slug)).size).toBe(users.length);
    expect(users.map((user) => user.id)).toEqual(users.map((_, index) => index + 2));
  });
});

describe('seedWoocommerce', () => {
  it('is deterministic, numbers orders upwards and uses seeded customers or guests', () => {
    const customers = seedUsers({ count: 50, seed: 1 });
    const seed = seedWoocommerce({ orders: 60, seed: 1, customers });
    expect(seedWoocommerce({ orders: 60, seed: 1, customers })).toEqual(seed);
    const ids = seed.orders.map((order) => order.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const customerIds = new Set(customers.map((user) => user.id));
    expect(seed.orders.every((order) => order.customer_id === 0 || customerIds.has(order.customer_id))).toBe(true);
    expect(seed.orders.every((order) => order.date_created <= order.date_modified)).toBe(true);
  });
});
