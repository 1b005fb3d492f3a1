<?php
/**
 * TEST ONLY. WooCommerce REST API keys, checked the way WooCommerce's WC_REST_Authentication
 * checks them (WooCommerce itself cannot be installed on the test machines):
 *
 * - keys live in their own table with WooCommerce's columns; the consumer key is stored only as
 *   hash_hmac( 'sha256', $key, 'wc-api' ) (wc_api_hash), the secret as is;
 * - only requests to the wc/ namespace are authenticated by a key;
 * - over https: HTTP Basic (or consumer_key/consumer_secret in the query), secret compared with
 *   hash_equals; "Consumer secret is invalid." when it differs;
 * - otherwise OAuth 1.0a one-legged: oauth_consumer_key, oauth_timestamp, oauth_nonce,
 *   oauth_signature_method (HMAC-SHA1 or HMAC-SHA256) and oauth_signature from the query or an
 *   `Authorization: OAuth …` header; the signature is rebuilt from the method, home_url() of the
 *   path and every parameter (sorted by name, name and value RFC 3986-encoded, each pair encoded
 *   again, joined with %26) with "secret&" as the HMAC key; the timestamp must be within 15
 *   minutes, a nonce is refused twice;
 * - refusals use WooCommerce's codes and texts (woocommerce_rest_authentication_error, 401);
 * - a key's permissions (read, write, read_write) bound the methods it may use.
 *
 * `POST /forcesites-test/v1/woocommerce-keys` {user_id, permissions, description} (administrators)
 * makes a key and answers its consumer key and secret once, as WooCommerce's key screen does.
 */

defined( 'ABSPATH' ) || exit;

// Behind the tests' TLS-terminating proxy, as WordPress's own advice for wp-config.php behind a
// reverse proxy: the request was https, so is_ssl() is true and keys go by HTTP Basic.
if ( isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) && 'https' === $_SERVER['HTTP_X_FORWARDED_PROTO'] ) {
	$_SERVER['HTTPS'] = 'on';
}

add_filter( 'determine_current_user', 'forcesites_test_wc_keys_authenticate', 15 );
add_filter( 'rest_authentication_errors', 'forcesites_test_wc_keys_errors', 15 );
add_filter( 'rest_pre_dispatch', 'forcesites_test_wc_keys_permissions', 10, 3 );
add_action( 'rest_api_init', 'forcesites_test_wc_keys_route' );

/** The key row that authenticated this request, and the error that refused one. */
function forcesites_test_wc_keys_state( $set = null ) {
	static $state = array(
		'key'   => null,
		'error' => null,
	);
	if ( is_array( $set ) ) {
		$state = array_merge( $state, $set );
	}
	return $state;
}

function forcesites_test_wc_keys_refuse( $code, $message ) {
	forcesites_test_wc_keys_state(
		array(
			'key'   => null,
			'error' => new WP_Error( $code, $message, array( 'status' => 401 ) ),
		)
	);
	return false;
}

/** The REST route this request names, without slashes around it ('' when it is not a REST request). */
function forcesites_test_wc_keys_route_of_request() {
	if ( isset( $_GET['rest_route'] ) && is_string( $_GET['rest_route'] ) ) {
		return trim( wp_unslash( $_GET['rest_route'] ), '/' );
	}
	$path   = (string) wp_parse_url( wp_unslash( $_SERVER['REQUEST_URI'] ?? '' ), PHP_URL_PATH );
	$path   = trim( $path, '/' );
	$home   = trim( (string) wp_parse_url( home_url(), PHP_URL_PATH ), '/' );
	if ( '' !== $home && 0 === strpos( $path, $home ) ) {
		$path = trim( substr( $path, strlen( $home ) ), '/' );
	}
	$prefix = trailingslashit( rest_get_url_prefix() );
	return 0 === strpos( $path, $prefix ) ? trim( substr( $path, strlen( $prefix ) ), '/' ) : '';
}

function forcesites_test_wc_keys_find( $consumer_key ) {
	global $wpdb;
	$tables = forcesites_test_woocommerce_tables();
	return $wpdb->get_row(
		$wpdb->prepare(
			"SELECT key_id, user_id, permissions, consumer_key, consumer_secret, nonces FROM {$tables['keys']} WHERE consumer_key = %s",
			hash_hmac( 'sha256', sanitize_text_field( $consumer_key ), 'wc-api' )
		)
	);
}

function forcesites_test_wc_keys_authenticate( $user_id ) {
	if ( ! empty( $user_id ) || 0 !== strpos( forcesites_test_wc_keys_route_of_request() . '/', 'wc/' ) ) {
		return $user_id;
	}
	if ( is_ssl() ) {
		$found = forcesites_test_wc_keys_basic();
		if ( $found ) {
			return $found;
		}
	}
	$found = forcesites_test_wc_keys_oauth();
	return $found ? $found : $user_id;
}

function forcesites_test_wc_keys_basic() {
	$key    = '';
	$secret = '';
	if ( ! empty( $_GET['consumer_key'] ) && ! empty( $_GET['consumer_secret'] ) ) {
		$key    = (string) $_GET['consumer_key'];
		$secret = (string) $_GET['consumer_secret'];
	} elseif ( ! empty( $_SERVER['PHP_AUTH_USER'] ) && ! empty( $_SERVER['PHP_AUTH_PW'] ) ) {
		$key    = (string) $_SERVER['PHP_AUTH_USER'];
		$secret = (string) $_SERVER['PHP_AUTH_PW'];
	}
	if ( '' === $key || '' === $secret ) {
		return false;
	}
	$row = forcesites_test_wc_keys_find( $key );
	if ( empty( $row ) ) {
		// WooCommerce lets the request go on unauthenticated (an application password may still apply).
		return false;
	}
	if ( ! hash_equals( $row->consumer_secret, $secret ) ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.' );
	}
	forcesites_test_wc_keys_state( array( 'key' => $row ) );
	return (int) $row->user_id;
}

/** The oauth_ parameters from the query and an `Authorization: OAuth` header, or null when none was sent. */
function forcesites_test_wc_keys_oauth_params() {
	$params = wp_unslash( $_GET );
	$header = isset( $_SERVER['HTTP_AUTHORIZATION'] ) ? wp_unslash( $_SERVER['HTTP_AUTHORIZATION'] ) : '';
	if ( '' === $header && function_exists( 'getallheaders' ) ) {
		foreach ( getallheaders() as $name => $value ) {
			if ( 'authorization' === strtolower( $name ) ) {
				$header = $value;
			}
		}
	}
	$header = trim( $header );
	if ( 0 === strpos( $header, 'OAuth ' ) && preg_match_all( '/(oauth_[a-z_-]*)=(?:"([^"]*)"|([^,]*))/', $header, $matches, PREG_SET_ORDER ) ) {
		foreach ( $matches as $match ) {
			$params[ $match[1] ] = urldecode( '' !== $match[2] ? $match[2] : ( $match[3] ?? '' ) );
		}
	}
	$required = array( 'oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method' );
	$missing  = array_values( array_filter( $required, function ( $name ) use ( $params ) {
		return empty( $params[ $name ] );
	} ) );
	if ( count( $missing ) === count( $required ) ) {
		return null;
	}
	if ( array() !== $missing ) {
		forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_missing_parameter', sprintf( 1 === count( $missing ) ? 'Missing OAuth parameter %s' : 'Missing OAuth parameters %s', implode( ', ', $missing ) ) );
		return false;
	}
	return $params;
}

function forcesites_test_wc_keys_oauth() {
	$params = forcesites_test_wc_keys_oauth_params();
	if ( ! is_array( $params ) ) {
		return false;
	}
	$row = forcesites_test_wc_keys_find( $params['oauth_consumer_key'] );
	if ( empty( $row ) ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Consumer key is invalid.' );
	}

	$method = strtoupper( (string) ( $_SERVER['REQUEST_METHOD'] ?? '' ) );
	$path   = (string) wp_parse_url( (string) ( $_SERVER['REQUEST_URI'] ?? '' ), PHP_URL_PATH );
	$base   = get_home_url( null, '/', 'relative' );
	if ( substr( $path, 0, strlen( $base ) ) === $base ) {
		$path = substr( $path, strlen( $base ) );
	}
	$uri = rawurlencode( get_home_url( null, $path, is_ssl() ? 'https' : 'http' ) );

	$given = rawurldecode( str_replace( ' ', '+', $params['oauth_signature'] ) );
	unset( $params['oauth_signature'] );
	uksort( $params, 'strcmp' );
	$pairs = array();
	forcesites_test_wc_keys_pairs( $params, '', $pairs );
	$base_string = $method . '&' . $uri . '&' . implode( '%26', $pairs );

	$algorithm = $params['oauth_signature_method'];
	if ( 'HMAC-SHA1' !== $algorithm && 'HMAC-SHA256' !== $algorithm ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.' );
	}
	$expected = base64_encode( hash_hmac( strtolower( substr( $algorithm, 5 ) ), $base_string, $row->consumer_secret . '&', true ) );
	if ( ! hash_equals( $expected, $given ) ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.' );
	}

	$timestamp = (int) $params['oauth_timestamp'];
	$window    = 15 * MINUTE_IN_SECONDS;
	if ( $timestamp < time() - $window || $timestamp > time() + $window ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Invalid timestamp.' );
	}
	$nonces = maybe_unserialize( $row->nonces );
	$nonces = is_array( $nonces ) ? $nonces : array();
	if ( in_array( $params['oauth_nonce'], $nonces, true ) ) {
		return forcesites_test_wc_keys_refuse( 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.' );
	}
	$nonces[ $timestamp ] = $params['oauth_nonce'];
	foreach ( array_keys( $nonces ) as $when ) {
		if ( $when < time() - $window ) {
			unset( $nonces[ $when ] );
		}
	}
	global $wpdb;
	$tables = forcesites_test_woocommerce_tables();
	$wpdb->update( $tables['keys'], array( 'nonces' => maybe_serialize( $nonces ) ), array( 'key_id' => $row->key_id ), array( '%s' ), array( '%d' ) );

	forcesites_test_wc_keys_state( array( 'key' => $row ) );
	return (int) $row->user_id;
}

/** "name=value" pairs for the base string: arrays flattened as name[index], everything encoded twice. */
function forcesites_test_wc_keys_pairs( array $params, $prefix, array &$pairs ) {
	foreach ( $params as $name => $value ) {
		$encoded = forcesites_test_wc_keys_rfc3986( (string) $name );
		$name    = '' === $prefix ? $encoded : $prefix . '%5B' . $encoded . '%5D';
		if ( is_array( $value ) ) {
			forcesites_test_wc_keys_pairs( $value, $name, $pairs );
		} else {
			$pairs[] = forcesites_test_wc_keys_rfc3986( $name . '=' . forcesites_test_wc_keys_rfc3986( (string) $value ) );
		}
	}
}

function forcesites_test_wc_keys_rfc3986( $value ) {
	return str_replace( '%7E', '~', rawurlencode( $value ) );
}

function forcesites_test_wc_keys_errors( $error ) {
	if ( ! empty( $error ) ) {
		return $error;
	}
	$state = forcesites_test_wc_keys_state();
	return $state['error'] ?? $error;
}

function forcesites_test_wc_keys_permissions( $result, $server, $request ) {
	$state = forcesites_test_wc_keys_state();
	if ( null === $state['key'] ) {
		return $result;
	}
	$permissions = $state['key']->permissions;
	$method      = $request->get_method();
	if ( in_array( $method, array( 'GET', 'HEAD' ), true ) && 'read' !== $permissions && 'read_write' !== $permissions ) {
		return new WP_Error( 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.', array( 'status' => 401 ) );
	}
	if ( in_array( $method, array( 'POST', 'PUT', 'PATCH', 'DELETE' ), true ) && 'write' !== $permissions && 'read_write' !== $permissions ) {
		return new WP_Error( 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.', array( 'status' => 401 ) );
	}
	return $result;
}

function forcesites_test_wc_keys_route() {
	register_rest_route(
		'forcesites-test/v1',
		'/woocommerce-keys',
		array(
			'methods'             => 'POST',
			'callback'            => 'forcesites_test_wc_keys_create',
			'permission_callback' => function () {
				return current_user_can( 'manage_options' );
			},
			'args'                => array(
				'user_id'     => array(
					'type'     => 'integer',
					'required' => true,
				),
				'permissions' => array(
					'type'    => 'string',
					'default' => 'read',
					'enum'    => array( 'read', 'write', 'read_write' ),
				),
				'description' => array(
					'type'    => 'string',
					'default' => 'ForceSites test key',
				),
			),
		)
	);
}

/** As WooCommerce's key screen: ck_/cs_ and 40 random hex digits, the key stored hashed, both shown once. */
function forcesites_test_wc_keys_create( WP_REST_Request $request ) {
	global $wpdb;
	if ( ! get_userdata( (int) $request['user_id'] ) ) {
		return new WP_Error( 'woocommerce_api_user_not_found', 'User not found.', array( 'status' => 400 ) );
	}
	$tables   = forcesites_test_woocommerce_tables();
	$key      = 'ck_' . bin2hex( random_bytes( 20 ) );
	$secret   = 'cs_' . bin2hex( random_bytes( 20 ) );
	$wpdb->insert(
		$tables['keys'],
		array(
			'user_id'         => (int) $request['user_id'],
			'description'     => (string) $request['description'],
			'permissions'     => (string) $request['permissions'],
			'consumer_key'    => hash_hmac( 'sha256', $key, 'wc-api' ),
			'consumer_secret' => $secret,
			'truncated_key'   => substr( $key, -7 ),
		)
	);
	return rest_ensure_response(
		array(
			'key_id'          => (int) $wpdb->insert_id,
			'consumer_key'    => $key,
			'consumer_secret' => $secret,
			'truncated_key'   => substr( $key, -7 ),
		)
	);
}
