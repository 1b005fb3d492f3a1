<?php
/**
 * Plugin Name: ForceSites test outbound-message endpoint
 * Description: TEST ONLY (copied in as a must-use plugin by test/wordpress/test-wordpress.ts). Listens for Salesforce Outbound Messages the way the WordPress-side connector does, so ForceSites' outbound-message tester is tested against a real WordPress. Never part of the product.
 *
 * - `?wpf_action=update|update_tags|add&access_key=KEY` with the SOAP notification as the
 *   POST body: checks the key, parses the message with PHP's XML parser (namespaces as
 *   Salesforce sends them), finds each contact's user by email and applies the contact's
 *   fields (update, add) and tags (all three), creating the user for `add`; answers the
 *   SOAP `<Ack>true</Ack>`. A contact without a user is acknowledged and skipped.
 * - `&forcesites_test=` variants: `fault` (a SOAP fault, HTTP 500), `http500` (WordPress's
 *   critical-error page), `slow&seconds=N` (answers after N seconds), `ack-false`.
 * - A wrong or missing key answers 403 "Invalid access key".
 * - REST (administrators): GET/POST /forcesites-test/v1/outbound reads and sets the key and
 *   the field map (`{key, emailField, fields: {SalesforceField: wordpressField}, tagField}`;
 *   wordpressField is first_name, last_name, nickname, description, url, name or meta:<key>)
 *   and lists the deliveries received (`log`); DELETE clears the log.
 *
 * UNCONFIRMED: what the real connector answers for a wrong key, and whether it applies the
 * message's values or reloads the contact from Salesforce. This stand-in applies the values.
 */

const FORCESITES_TEST_OUTBOUND_OPTION = 'forcesites_test_outbound';
const FORCESITES_TEST_OUTBOUND_LOG    = 'forcesites_test_outbound_log';
const FORCESITES_TEST_OUTBOUND_NS     = 'http://soap.sforce.com/2005/09/outbound';
const FORCESITES_TEST_SOAP_NS         = 'http://schemas.xmlsoap.org/soap/envelope/';
const FORCESITES_TEST_SOBJECT_NS      = 'urn:sobject.enterprise.soap.sforce.com';

add_action( 'init', 'forcesites_test_outbound_listen', 20 );
add_action( 'rest_api_init', 'forcesites_test_outbound_routes' );

function forcesites_test_outbound_listen() {
	if ( ! isset( $_GET['wpf_action'] ) ) {
		return;
	}
	$action  = sanitize_key( wp_unslash( $_GET['wpf_action'] ) );
	$variant = isset( $_GET['forcesites_test'] ) ? sanitize_key( wp_unslash( $_GET['forcesites_test'] ) ) : '';
	$config  = get_option( FORCESITES_TEST_OUTBOUND_OPTION, array() );
	$key     = isset( $_GET['access_key'] ) ? (string) wp_unslash( $_GET['access_key'] ) : '';
	if ( empty( $config['key'] ) || ! hash_equals( (string) $config['key'], $key ) ) {
		status_header( 403 );
		header( 'Content-Type: text/html; charset=UTF-8' );
		echo '<!DOCTYPE html><html><head><title>Invalid access key</title></head><body>Invalid access key</body></html>';
		exit;
	}
	if ( ! in_array( $action, array( 'update', 'update_tags', 'add' ), true ) ) {
		forcesites_test_outbound_fault( 'Unknown wpf_action ' . $action );
	}
	if ( 'http500' === $variant ) {
		status_header( 500 );
		header( 'Content-Type: text/html; charset=UTF-8' );
		echo '<!DOCTYPE html><html><head><title>WordPress &rsaquo; Error</title></head><body><p>There has been a critical error on this website.</p></body></html>';
		exit;
	}
	if ( 'slow' === $variant ) {
		usleep( (int) ( min( 120, max( 0, (float) ( $_GET['seconds'] ?? 0 ) ) ) * 1000000 ) );
	}

	if ( ! function_exists( 'simplexml_load_string' ) ) {
		// Real hosts have it (WordPress lists it among its recommended modules); Debian needs php-xml.
		forcesites_test_outbound_fault( "PHP's XML extension is missing: apt-get install php-xml (.ci/run installs it)." );
	}
	$xml = file_get_contents( 'php://input' );
	libxml_use_internal_errors( true );
	$doc = '' === $xml ? false : simplexml_load_string( $xml, 'SimpleXMLElement', LIBXML_NONET );
	if ( false === $doc ) {
		forcesites_test_outbound_fault( 'The request body is not XML.' );
	}
	$body          = $doc->children( FORCESITES_TEST_SOAP_NS )->Body;
	$notifications = $body ? $body->children( FORCESITES_TEST_OUTBOUND_NS )->notifications : null;
	if ( ! $notifications || 0 === count( $notifications->Notification ) ) {
		forcesites_test_outbound_fault( 'No notifications in the message.' );
	}
	if ( 'fault' === $variant ) {
		forcesites_test_outbound_fault( 'ForceSites test endpoint: the connector refused this message.' );
	}

	$received = array();
	foreach ( $notifications->Notification as $notification ) {
		$fields = array();
		foreach ( $notification->sObject->children( FORCESITES_TEST_SOBJECT_NS ) as $name => $value ) {
			$fields[ $name ] = (string) $value;
		}
		$user_id    = forcesites_test_outbound_apply( $action, $fields, $config );
		$received[] = array(
			'notificationId' => (string) $notification->Id,
			'recordId'       => $fields['Id'] ?? '',
			'userId'         => $user_id,
		);
	}
	$log   = get_option( FORCESITES_TEST_OUTBOUND_LOG, array() );
	$log[] = array(
		'action'        => $action,
		'organization'  => (string) $notifications->OrganizationId,
		'actionId'      => (string) $notifications->ActionId,
		'notifications' => $received,
	);
	update_option( FORCESITES_TEST_OUTBOUND_LOG, $log, false );

	if ( 'ack-false' === $variant ) {
		forcesites_test_outbound_answer( 200, '<notificationsResponse xmlns="' . FORCESITES_TEST_OUTBOUND_NS . '"><Ack>false</Ack></notificationsResponse>' );
	}
	forcesites_test_outbound_answer( 200, '<notificationsResponse xmlns="' . FORCESITES_TEST_OUTBOUND_NS . '"><Ack>true</Ack></notificationsResponse>' );
}

/**
 * Applies one contact to its user.
 *
 * @return int The user's id, 0 when there is none (and the action is not add).
 */
function forcesites_test_outbound_apply( $action, array $fields, array $config ) {
	$email_field = $config['emailField'] ?? 'Email';
	$email       = isset( $fields[ $email_field ] ) ? sanitize_email( $fields[ $email_field ] ) : '';
	if ( '' === $email ) {
		return 0;
	}
	$user = get_user_by( 'email', $email );
	if ( ! $user && 'add' !== $action ) {
		return 0;
	}
	if ( ! $user ) {
		$login = sanitize_user( strstr( $email, '@', true ), true );
		$base  = '' === $login ? 'member' : $login;
		for ( $n = 2; username_exists( $login ) || '' === $login; $n++ ) {
			$login = $base . $n;
		}
		$user_id = wp_insert_user(
			array(
				'user_login' => $login,
				'user_email' => $email,
				'user_pass'  => wp_generate_password( 24 ),
				'role'       => 'subscriber',
			)
		);
		if ( is_wp_error( $user_id ) ) {
			forcesites_test_outbound_fault( 'Could not create the user: ' . $user_id->get_error_message() );
		}
		$user = get_user_by( 'id', $user_id );
	}
	if ( 'update_tags' !== $action ) {
		$core = array();
		foreach ( (array) ( $config['fields'] ?? array() ) as $salesforce_field => $wordpress_field ) {
			if ( ! array_key_exists( $salesforce_field, $fields ) ) {
				continue;
			}
			$value = $fields[ $salesforce_field ];
			if ( 0 === strpos( $wordpress_field, 'meta:' ) ) {
				update_user_meta( $user->ID, substr( $wordpress_field, 5 ), $value );
			} elseif ( in_array( $wordpress_field, array( 'first_name', 'last_name', 'nickname', 'description' ), true ) ) {
				$core[ $wordpress_field ] = $value;
			} elseif ( 'url' === $wordpress_field ) {
				$core['user_url'] = $value;
			} elseif ( 'name' === $wordpress_field ) {
				$core['display_name'] = $value;
			}
		}
		if ( $core ) {
			$core['ID'] = $user->ID;
			wp_update_user( $core );
		}
	}
	$tag_field = $config['tagField'] ?? '';
	if ( '' !== $tag_field && array_key_exists( $tag_field, $fields ) ) {
		$tags = array_values( array_filter( array_map( 'trim', explode( ';', $fields[ $tag_field ] ) ), 'strlen' ) );
		update_user_meta( $user->ID, 'forcesites_tags', $tags );
	}
	return $user->ID;
}

function forcesites_test_outbound_answer( $status, $body_xml ) {
	status_header( $status );
	header( 'Content-Type: text/xml; charset=utf-8' );
	echo '<?xml version="1.0" encoding="UTF-8"?>'
		. '<soapenv:Envelope xmlns:soapenv="' . FORCESITES_TEST_SOAP_NS . '"><soapenv:Body>'
		. $body_xml
		. '</soapenv:Body></soapenv:Envelope>';
	exit;
}

function forcesites_test_outbound_fault( $message ) {
	forcesites_test_outbound_answer( 500, '<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>' . esc_html( $message ) . '</faultstring></soapenv:Fault>' );
}

function forcesites_test_outbound_routes() {
	$admin = function () {
		return current_user_can( 'manage_options' );
	};
	register_rest_route(
		'forcesites-test/v1',
		'/outbound',
		array(
			array(
				'methods'             => 'GET',
				'permission_callback' => $admin,
				'callback'            => function () {
					return array(
						'config' => get_option( FORCESITES_TEST_OUTBOUND_OPTION, array() ),
						'log'    => get_option( FORCESITES_TEST_OUTBOUND_LOG, array() ),
					);
				},
			),
			array(
				'methods'             => 'POST',
				'permission_callback' => $admin,
				'callback'            => function ( $request ) {
					$config = array(
						'key'        => (string) $request['key'],
						'emailField' => (string) ( $request['emailField'] ?? 'Email' ),
						'fields'     => (array) ( $request['fields'] ?? array() ),
						'tagField'   => (string) ( $request['tagField'] ?? '' ),
					);
					update_option( FORCESITES_TEST_OUTBOUND_OPTION, $config, false );
					return array( 'config' => $config );
				},
			),
			array(
				'methods'             => 'DELETE',
				'permission_callback' => $admin,
				'callback'            => function () {
					delete_option( FORCESITES_TEST_OUTBOUND_LOG );
					return array( 'cleared' => true );
				},
			),
		)
	);
}
