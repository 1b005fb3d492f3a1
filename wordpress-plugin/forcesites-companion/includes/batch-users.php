<?php
/**
 * Lets ForceSites create and update users through WordPress's batch endpoint
 * (POST /wp-json/batch/v1, WordPress 5.6+): up to 25 user writes in one request instead of 25.
 *
 * WordPress core registers its users routes without `allow_batch`, so a batch of user writes
 * is refused whole (`rest_batch_not_allowed`). This marks only the create and update handlers
 * of /wp/v2/users and /wp/v2/users/<id> as batchable. Every request in a batch still runs that
 * route's own permission checks, argument validation and sanitising, one by one, exactly as if
 * it had been sent alone, so nobody can do in a batch what they could not do without one.
 * Deleting users is never batchable.
 */

defined( 'ABSPATH' ) || exit;

/**
 * @param array $endpoints Route => handlers, as `rest_endpoints` passes them.
 * @return array
 */
function forcesites_companion_batch_user_writes( $endpoints ) {
	foreach ( array( '/wp/v2/users', '/wp/v2/users/(?P<id>[\d]+)' ) as $route ) {
		if ( ! isset( $endpoints[ $route ] ) || ! is_array( $endpoints[ $route ] ) ) {
			continue;
		}
		foreach ( $endpoints[ $route ] as $key => $handler ) {
			// Numeric keys are handlers; others ('schema', 'args' …) are route options.
			if ( ! is_int( $key ) || ! is_array( $handler ) || ! isset( $handler['methods'] ) ) {
				continue;
			}
			$methods = is_array( $handler['methods'] ) ? array_keys( array_filter( $handler['methods'] ) ) : array_map( 'trim', explode( ',', (string) $handler['methods'] ) );
			$methods = array_map( 'strtoupper', $methods );
			if ( in_array( 'DELETE', $methods, true ) || ! array_intersect( array( 'POST', 'PUT', 'PATCH' ), $methods ) ) {
				continue;
			}
			$endpoints[ $route ][ $key ]['allow_batch'] = array( 'v1' => true );
		}
	}
	return $endpoints;
}
