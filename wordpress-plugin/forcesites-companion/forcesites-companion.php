<?php
/**
 * Plugin Name:       ForceSites Companion
 * Description:       Lets ForceSites read and write the user fields and tags that WordPress's REST API does not expose by itself. Stores nothing secret.
 * Version:           0.1.0
 * Requires at least: 5.6
 * Requires PHP:      7.4
 * Author:            ForceSites
 * Text Domain:       forcesites-companion
 *
 * What it does (see README.md):
 * - registers the user meta keys an administrator chooses (Settings → ForceSites) and the
 *   `forcesites_tags` meta (a list of strings) with the REST API, visible only in
 *   `context=edit` to users who may list and edit users;
 * - answers GET /wp-json/forcesites/v1/info so ForceSites can say exactly what a site lacks;
 * - lets an administrator read and change the exposed keys over REST
 *   (GET/POST /wp-json/forcesites/v1/settings);
 * - lets user creates and updates go through /wp-json/batch/v1 (25 a request), each still
 *   checked by its own route.
 *
 * ForceSites authenticates with WordPress application passwords (WordPress 5.6+); this
 * plugin adds no login, token or password of its own.
 */

defined( 'ABSPATH' ) || exit;

define( 'FORCESITES_COMPANION_VERSION', '0.1.0' );
define( 'FORCESITES_COMPANION_FILE', __FILE__ );

require_once __DIR__ . '/includes/meta-keys.php';
require_once __DIR__ . '/includes/register-meta.php';
require_once __DIR__ . '/includes/rest-routes.php';
require_once __DIR__ . '/includes/batch-users.php';

if ( is_admin() ) {
	require_once __DIR__ . '/includes/settings-page.php';
}

add_action( 'init', 'forcesites_companion_register_meta' );
add_action( 'rest_api_init', 'forcesites_companion_register_routes' );
add_filter( 'rest_endpoints', 'forcesites_companion_batch_user_writes' );
