<?php
/**
 * Installs a test WordPress without a browser, then prepares it for ForceSites tests:
 *
 *   php install.php <www dir> <spec.json>
 *
 * wp_install(), permalinks, the site's time zone, plugins, the companion plugin's exposed
 * meta keys, an application password for the administrator, and the seeded users written
 * straight to the database in bulk (wp_insert_user() hashes a password per user and runs
 * every hook: far too slow for thousands, and it would refuse the invalid emails the seed
 * deliberately holds). Prints one JSON line on stdout; anything WordPress echoes is dropped.
 */

if ( PHP_SAPI !== 'cli' || $argc !== 3 ) {
	fwrite( STDERR, "usage: php install.php <www dir> <spec.json>\n" );
	exit( 2 );
}

$forcesites_spec = json_decode( file_get_contents( $argv[2] ), true, 512, JSON_THROW_ON_ERROR );
define( 'ABSPATH', rtrim( $argv[1], '/' ) . '/' );
define( 'WP_INSTALLING', true );

$forcesites_url                 = parse_url( $forcesites_spec['url'] );
$_SERVER['HTTP_HOST']           = $forcesites_url['host'] . ( isset( $forcesites_url['port'] ) ? ':' . $forcesites_url['port'] : '' );
$_SERVER['SERVER_NAME']         = $forcesites_url['host'];
$_SERVER['REQUEST_URI']         = '/';
$_SERVER['REQUEST_METHOD']      = 'GET';
$_SERVER['SERVER_PROTOCOL']     = 'HTTP/1.1';

/** There is no mail transport here; WordPress would try to mail the new administrator. */
function wp_mail() {
	return true;
}

ob_start();
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

function forcesites_fail( $message ) {
	ob_end_clean();
	fwrite( STDERR, $message . "\n" );
	exit( 1 );
}

$forcesites_started = microtime( true );
$forcesites_install = wp_install(
	$forcesites_spec['title'],
	$forcesites_spec['adminUser'],
	$forcesites_spec['adminEmail'],
	false,
	'',
	$forcesites_spec['adminPassword']
);
if ( empty( $forcesites_install['user_id'] ) ) {
	forcesites_fail( 'wp_install() did not create the administrator.' );
}

// wp_install() turns pretty permalinks on only when a request to the (not yet running) site
// proves they work; the router makes them work, so set the structure directly.
// Through $wp_rewrite, not update_option(): the rules are built from its in-memory copy,
// which wp_install() already set.
$GLOBALS['wp_rewrite']->set_permalink_structure( $forcesites_spec['permalinkStructure'] );
// A fixed offset from UTC, not UTC itself: mixing local and GMT dates must show in tests.
update_option( 'timezone_string', '' );
update_option( 'gmt_offset', $forcesites_spec['gmtOffset'] );
// Roles a shop plugin leaves behind; seeded users hold them whether or not WooCommerce runs.
add_role( 'customer', 'Customer', array( 'read' => true ) );
$GLOBALS['wp_rewrite']->flush_rules( false );

foreach ( $forcesites_spec['plugins'] as $forcesites_plugin ) {
	$forcesites_result = activate_plugin( $forcesites_plugin, '', false, false );
	if ( is_wp_error( $forcesites_result ) ) {
		forcesites_fail( "Could not activate $forcesites_plugin: " . $forcesites_result->get_error_message() );
	}
}
update_option( 'forcesites_companion_meta_keys', $forcesites_spec['metaKeys'], false );

$forcesites_app_password = WP_Application_Passwords::create_new_application_password( $forcesites_install['user_id'], array( 'name' => 'ForceSites tests' ) );
if ( is_wp_error( $forcesites_app_password ) ) {
	forcesites_fail( 'Could not create an application password: ' . $forcesites_app_password->get_error_message() );
}

forcesites_seed_users( $forcesites_spec['users'] );
$forcesites_member_password = null;
if ( $forcesites_spec['memberId'] > 0 ) {
	$forcesites_member = WP_Application_Passwords::create_new_application_password( $forcesites_spec['memberId'], array( 'name' => 'ForceSites tests (member)' ) );
	if ( is_wp_error( $forcesites_member ) ) {
		forcesites_fail( 'Could not create the member\'s application password: ' . $forcesites_member->get_error_message() );
	}
	$forcesites_member_password = WP_Application_Passwords::chunk_password( $forcesites_member[0] );
}
if ( function_exists( 'forcesites_test_woocommerce_seed' ) && isset( $forcesites_spec['woocommerce'] ) ) {
	forcesites_test_woocommerce_seed( $forcesites_spec['woocommerce'] );
}

wp_cache_flush();
ob_end_clean();
echo wp_json_encode(
	array(
		'adminUserId'               => (int) $forcesites_install['user_id'],
		'applicationPassword'       => WP_Application_Passwords::chunk_password( $forcesites_app_password[0] ),
		'memberApplicationPassword' => $forcesites_member_password,
		'wordpressVersion'          => get_bloginfo( 'version' ),
		'seconds'                   => round( microtime( true ) - $forcesites_started, 3 ),
	)
) . "\n";

/**
 * Bulk-inserts users and their meta, 500 rows a statement.
 *
 * @param array $users Rows from test/wordpress/seed-users.ts.
 */
function forcesites_seed_users( array $users ) {
	global $wpdb;
	if ( array() === $users ) {
		return;
	}
	$levels    = array(
		'administrator' => 10,
		'editor'        => 7,
		'author'        => 2,
		'contributor'   => 1,
	);
	$limits    = array(
		'user_login'    => 60,
		'user_nicename' => 50,
		'user_email'    => 100,
		'user_url'      => 100,
		'display_name'  => 250,
	);
	$hash      = wp_hash_password( wp_generate_password( 24 ) );
	$user_rows = array();
	$meta_rows = array();
	$prefix    = $wpdb->get_blog_prefix();
	foreach ( $users as $user ) {
		$row = array(
			'user_login'    => $user['username'],
			'user_nicename' => $user['slug'],
			'user_email'    => $user['email'],
			'user_url'      => $user['url'],
			'display_name'  => $user['name'],
		);
		foreach ( $limits as $column => $limit ) {
			if ( mb_strlen( $row[ $column ] ) > $limit ) {
				forcesites_fail( "Seed user {$user['id']}: $column is longer than $limit characters; MariaDB would truncate it." );
			}
		}
		$user_rows[] = $wpdb->prepare(
			'(%d, %s, %s, %s, %s, %s, %s, 0, %s)',
			$user['id'],
			$user['username'],
			$hash,
			$user['slug'],
			$user['email'],
			$user['url'],
			gmdate( 'Y-m-d H:i:s', strtotime( $user['registered_date'] ) ),
			$user['name']
		);
		$level = 0;
		foreach ( $user['roles'] as $role ) {
			$level = max( $level, $levels[ $role ] ?? 0 );
		}
		$meta = array(
			'nickname'             => $user['nickname'],
			'first_name'           => $user['first_name'],
			'last_name'            => $user['last_name'],
			'description'          => '',
			'rich_editing'         => 'true',
			'syntax_highlighting'  => 'true',
			'comment_shortcuts'    => 'false',
			'admin_color'          => 'fresh',
			'use_ssl'              => '0',
			'show_admin_bar_front' => 'true',
			'locale'               => '',
			$prefix . 'capabilities' => serialize( array_fill_keys( $user['roles'], true ) ),
			$prefix . 'user_level' => (string) $level,
		);
		if ( array() !== $user['tags'] ) {
			$meta['forcesites_tags'] = serialize( array_values( $user['tags'] ) );
		}
		foreach ( $user['meta'] as $key => $value ) {
			$meta[ $key ] = $value;
		}
		foreach ( $meta as $key => $value ) {
			$meta_rows[] = $wpdb->prepare( '(%d, %s, %s)', $user['id'], $key, $value );
		}
	}
	foreach ( array_chunk( $user_rows, 500 ) as $chunk ) {
		if ( false === $wpdb->query( "INSERT INTO {$wpdb->users} (ID, user_login, user_pass, user_nicename, user_email, user_url, user_registered, user_status, display_name) VALUES " . implode( ',', $chunk ) ) ) {
			forcesites_fail( 'Seeding users failed: ' . $wpdb->last_error );
		}
	}
	foreach ( array_chunk( $meta_rows, 500 ) as $chunk ) {
		if ( false === $wpdb->query( "INSERT INTO {$wpdb->usermeta} (user_id, meta_key, meta_value) VALUES " . implode( ',', $chunk ) ) ) {
			forcesites_fail( 'Seeding user meta failed: ' . $wpdb->last_error );
		}
	}
}
