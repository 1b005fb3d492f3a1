<?php
/**
 * Plugin Name: ForceSites test instance
 * Description: Test-only behaviour of a throw-away test WordPress (copied in as a must-use plugin by test/wordpress/test-wordpress.ts). Never part of the product.
 *
 * - No mail transport exists here: wp_mail() succeeds without sending.
 * - forcesites-test/v1 holds routes that make a real WordPress fail the ways real sites do,
 *   so the client's error handling is tested against WordPress and PHP, not a stand-in:
 *     GET /forcesites-test/v1/crash   a PHP fatal error: WordPress's "There has been a
 *                                     critical error" page, or with ?kind=php the bare PHP
 *                                     error a host with display_errors on prints (WordPress's
 *                                     handler stands aside, as it does while scraping);
 *     GET /forcesites-test/v1/slow?seconds=N  answers after N seconds (deadlines);
 *     GET /forcesites-test/v1/not-json       an HTML page with status 200 (a security
 *                                     plugin or cache answering instead of WordPress);
 *     GET /forcesites-test/v1/noisy   a PHP warning printed before the JSON answer (a
 *                                     plugin's bug on a host with display_errors on).
 */

if ( ! function_exists( 'wp_mail' ) ) {
	function wp_mail() {
		return true;
	}
}

add_action(
	'rest_api_init',
	function () {
		register_rest_route(
			'forcesites-test/v1',
			'/crash',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => function ( $request ) {
					if ( 'php' === $request['kind'] ) {
						define( 'WP_SANDBOX_SCRAPING', true );
						ini_set( 'display_errors', '1' );
						ini_set( 'html_errors', '1' );
						header( 'Content-Type: text/html; charset=UTF-8' );
					}
					$missing = 'forcesites_test_function_that_does_not_exist';
					return $missing();
				},
			)
		);
		register_rest_route(
			'forcesites-test/v1',
			'/slow',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => function ( $request ) {
					$seconds = min( 30, max( 0, (float) $request['seconds'] ) );
					usleep( (int) ( $seconds * 1000000 ) );
					return array( 'slept' => $seconds );
				},
			)
		);
		register_rest_route(
			'forcesites-test/v1',
			'/noisy',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => function () {
					ini_set( 'display_errors', '1' );
					ini_set( 'html_errors', '1' );
					$settings = array();
					// A real warning from PHP: reading a key that is not there.
					return array( 'warned' => $settings['missing_key'] );
				},
			)
		);
		register_rest_route(
			'forcesites-test/v1',
			'/not-json',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => function () {
					header( 'Content-Type: text/html; charset=UTF-8' );
					echo '<!doctype html><html><head><title>Access denied</title></head><body><h1>Access denied</h1><p>Your request was blocked by the site firewall.</p></body></html>';
					exit;
				},
			)
		);
	}
);
