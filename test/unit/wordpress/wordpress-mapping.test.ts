import { describe, expect, it } from 'vitest';
import { ShapeError, toUserPayload, toWooOrder, toWordpressAccount, toWordpressUser } from '../../../main/wordpress/wordpress-mapping';
import { compareVersions } from '../../../main/wordpress/check-site';

describe('toWordpressUser', () => {
  it('takes the tags out of meta and keeps every value as sent', () => {
    const user = toWordpressUser({
      id: 7,
      username: 'sean',
      name: "Seán O'Brien",
      first_name: 'Seán',
      last_name: "O'Brien",
      email: 'Sean@Example.org',
      url: '',
      description: '',
      locale: 'en_US',
      nickname: 'sean',
      slug: 'sean',
      roles: ['subscriber', 'customer'],
      registered_date: '2012-03-17T09:15:00+00:00',
      meta: { forcesites_tags: ['Events, 2024', 'a/b'], company: 'X' },
    });
    expect(user).toMatchObject({ id: 7, name: "Seán O'Brien", roles: ['subscriber', 'customer'], registeredAt: '2012-03-17T09:15:00+00:00', tags: ['Events, 2024', 'a/b'], meta: { company: 'X' } });
  });

  it('reads PHP’s empty meta array as no meta, and a site without the plugin as no tags', () => {
    expect(toWordpressUser({ id: 1, meta: [] })).toMatchObject({ tags: [], meta: {} });
  });

  it('refuses a shape that is not WordPress’s', () => {
    expect(() => toWordpressUser({ id: 'x' })).toThrow(ShapeError);
    expect(() => toWordpressUser({ id: 1, roles: 'admin' })).toThrow('user.roles');
    expect(() => toWordpressUser([])).toThrow(ShapeError);
  });
});

describe('toWordpressAccount', () => {
  it('reads the capabilities ForceSites needs', () => {
    expect(toWordpressAccount({ id: 1, username: 'a', capabilities: { list_users: true, edit_users: true } })).toMatchObject({ canListUsers: true, canEditUsers: true, canCreateUsers: false });
  });
});

describe('toUserPayload', () => {
  it('sends only the fields given, in WordPress’s names, tags inside meta', () => {
    expect(toUserPayload({ firstName: 'Ada', tags: ['A'], meta: { company: 'B' } })).toEqual({ first_name: 'Ada', meta: { company: 'B', forcesites_tags: ['A'] } });
    expect(toUserPayload({ email: 'a@b.c' })).toEqual({ email: 'a@b.c' });
  });
});

describe('toWooOrder', () => {
  it('accepts the older refund field name and a string price', () => {
    const order = toWooOrder({
      id: 723,
      number: '723',
      status: 'completed',
      currency: 'USD',
      date_created_gmt: '2017-03-21T18:08:57',
      date_paid_gmt: null,
      date_completed_gmt: null,
      total: '39.00',
      total_tax: '0.00',
      shipping_total: '10.00',
      discount_total: '0.00',
      customer_id: 26,
      billing: { first_name: 'John', email: 'john.doe@example.com' },
      line_items: [{ id: 311, name: 'Woo Album #2', product_id: 87, variation_id: 0, quantity: 1, subtotal: '9.00', total: '9.00', sku: '', price: '9' }],
      refunds: [{ id: 726, refund: '', total: '-10.00' }],
    });
    expect(order.refunds).toEqual([{ id: 726, reason: '', total: '-10.00' }]);
    expect(order.lineItems[0]!.price).toBe(9);
    expect(order.billing).toMatchObject({ firstName: 'John', lastName: '', email: 'john.doe@example.com' });
  });
});

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.10.0', '0.9.9', 1],
    ['1.0', '1.0.1', -1],
    ['2.0.0-beta', '2.0.0', 0],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
