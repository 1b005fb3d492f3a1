<?php
/**
 * Router for PHP's built-in web server (`php -S 127.0.0.1:PORT -t <data>/www router.php`).
 *
 * <data>/www is a symlink tree over Debian's /usr/share/wordpress plus this instance's own
 * wp-config.php and wp-content/. Debian's wp-config.php picks /etc/wordpress/config-<host>.php,
 * which would make every instance share one system file; defining ABSPATH as the symlink tree
 * here makes wp-load.php read <data>/www/wp-config.php instead (PHP resolves symlinks in
 * __DIR__, so without this every entry point would find Debian's file).
 *
 * Pretty permalinks (/wp-json/...) work the way Apache's rewrite rules make them work: any
 * path that is not a file goes to index.php.
 */
$forcesites_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
define( 'ABSPATH', $forcesites_root . '/' );

$forcesites_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( strpos( $forcesites_path, '..' ) !== false || strpos( $forcesites_path, "\0" ) !== false ) {
	http_response_code( 400 );
	echo 'Bad path';
	return true;
}

$forcesites_target = $forcesites_root . $forcesites_path;
if ( is_dir( $forcesites_target ) && is_file( rtrim( $forcesites_target, '/' ) . '/index.php' ) ) {
	if ( substr( $forcesites_path, -1 ) !== '/' ) {
		header( 'Location: ' . $forcesites_path . '/', true, 301 );
		return true;
	}
	$forcesites_path  .= 'index.php';
	$forcesites_target = $forcesites_root . $forcesites_path;
}

$forcesites_script = '/index.php';
if ( $forcesites_path !== '/' && is_file( $forcesites_target ) ) {
	if ( substr( $forcesites_target, -4 ) !== '.php' ) {
		return false; // A static file: the built-in server sends it.
	}
	$forcesites_script = $forcesites_path;
}
// Anything that is not a file is a WordPress URL (pretty permalinks, /wp-json/...).

$_SERVER['SCRIPT_NAME']     = $forcesites_script;
$_SERVER['PHP_SELF']        = $forcesites_script;
$_SERVER['SCRIPT_FILENAME'] = $forcesites_root . $forcesites_script;
chdir( dirname( $forcesites_root . $forcesites_script ) );
unset( $forcesites_path, $forcesites_target );
// At file scope, not in a function: WordPress's entry points set and read globals.
require $forcesites_root . $forcesites_script;
