<?php
/**
 * Which user meta keys the administrator exposes, and the rules a key must pass.
 *
 * The list lives in one option (`forcesites_companion_meta_keys`, an array of strings). A key
 * is refused when WordPress already exposes it as a user field, when WordPress or a plugin
 * uses it for logins, sessions or roles, or when its name suggests a secret: exposing
 * those would hand credentials or privilege changes to anything that can read users.
 */

defined( 'ABSPATH' ) || exit;

const FORCESITES_COMPANION_OPTION   = 'forcesites_companion_meta_keys';
const FORCESITES_COMPANION_TAGS_KEY = 'forcesites_tags';
const FORCESITES_COMPANION_MAX_KEYS = 100;

/** Keys WordPress already returns as user fields, or that WordPress itself manages. */
function forcesites_companion_reserved_keys() {
	global $wpdb;
	return array(
		FORCESITES_COMPANION_TAGS_KEY,
		'first_name',
		'last_name',
		'nickname',
		'description',
		'locale',
		'rich_editing',
		'syntax_highlighting',
		'comment_shortcuts',
		'admin_color',
		'use_ssl',
		'show_admin_bar_front',
		'dismissed_wp_pointers',
		'default_password_nag',
		'session_tokens',
		'community-events-location',
		$wpdb->get_blog_prefix() . 'capabilities',
		$wpdb->get_blog_prefix() . 'user_level',
		$wpdb->get_blog_prefix() . 'user-settings',
		$wpdb->get_blog_prefix() . 'user-settings-time',
		$wpdb->get_blog_prefix() . 'dashboard_quick_press_last_post_id',
	);
}

/**
 * Why a key cannot be exposed, or null when it can.
 *
 * @param mixed $key The candidate key.
 * @return string|null
 */
function forcesites_companion_key_problem( $key ) {
	if ( ! is_string( $key ) || '' === $key ) {
		return __( 'A meta key must be a non-empty text.', 'forcesites-companion' );
	}
	if ( strlen( $key ) > 191 ) {
		return __( 'WordPress meta keys are at most 191 characters long.', 'forcesites-companion' );
	}
	if ( ! preg_match( '/^[A-Za-z0-9][A-Za-z0-9_.:\-]*$/', $key ) ) {
		return __( 'Use letters, digits, underscores, dots, colons and hyphens only, starting with a letter or digit. Keys starting with "_" are private to their plugin.', 'forcesites-companion' );
	}
	if ( in_array( strtolower( $key ), array_map( 'strtolower', forcesites_companion_reserved_keys() ), true ) ) {
		return __( 'WordPress already exposes or manages this key; ForceSites reads it without the plugin.', 'forcesites-companion' );
	}
	global $wpdb;
	if ( preg_match( '/capabilities$|user_level$|application_passwords$/i', $key ) || 0 === strpos( $key, $wpdb->base_prefix ) ) {
		return __( 'Keys like this one (ending in capabilities or user_level, or starting with the database prefix) hold roles, logins and per-site settings; exposing them could change who may do what.', 'forcesites-companion' );
	}
	if ( preg_match( '/passw|pass_?phrase|(^|[_.:-])pass($|[_.:-])|pwd|token|secret|session|api[_-]?key|private[_-]?key|nonce|salt|totp|2fa|mfa/i', $key ) ) {
		return __( 'The name looks like a password, token or session; ForceSites never reads secrets.', 'forcesites-companion' );
	}
	return null;
}

/**
 * Splits a candidate list into the keys that pass and the problems of those that do not.
 *
 * @param mixed $keys An array of keys, or text with one key per line or comma-separated.
 * @return array{keys: string[], refused: array<string, string>}
 */
function forcesites_companion_check_keys( $keys ) {
	if ( is_string( $keys ) ) {
		$keys = preg_split( '/[\s,]+/', $keys, -1, PREG_SPLIT_NO_EMPTY );
	}
	if ( ! is_array( $keys ) ) {
		$keys = array();
	}
	$accepted = array();
	$refused  = array();
	foreach ( $keys as $key ) {
		$key     = is_string( $key ) ? trim( $key ) : $key;
		$problem = forcesites_companion_key_problem( $key );
		if ( null !== $problem ) {
			$refused[ is_string( $key ) ? $key : wp_json_encode( $key ) ] = $problem;
			continue;
		}
		if ( ! in_array( $key, $accepted, true ) ) {
			$accepted[] = $key;
		}
	}
	if ( count( $accepted ) > FORCESITES_COMPANION_MAX_KEYS ) {
		foreach ( array_slice( $accepted, FORCESITES_COMPANION_MAX_KEYS ) as $extra ) {
			/* translators: %d: the maximum number of keys. */
			$refused[ $extra ] = sprintf( __( 'At most %d keys can be exposed.', 'forcesites-companion' ), FORCESITES_COMPANION_MAX_KEYS );
		}
		$accepted = array_slice( $accepted, 0, FORCESITES_COMPANION_MAX_KEYS );
	}
	return array(
		'keys'    => $accepted,
		'refused' => $refused,
	);
}

/**
 * The exposed keys, re-checked on every read so a hand-edited option cannot expose a
 * reserved key.
 *
 * @return string[]
 */
function forcesites_companion_meta_keys() {
	$checked = forcesites_companion_check_keys( get_option( FORCESITES_COMPANION_OPTION, array() ) );
	return $checked['keys'];
}

/**
 * Cleans a value ForceSites writes: valid UTF-8, no HTML tags, no control characters.
 * Unlike sanitize_text_field() it keeps "%41"-like text and inner spacing as typed,
 * because these values come from Salesforce records and must round-trip unchanged.
 *
 * @param mixed $value         The value to clean.
 * @param bool  $keep_newlines Keep line breaks (multi-line profile fields).
 * @return string
 */
function forcesites_companion_clean_text( $value, $keep_newlines = false ) {
	if ( is_bool( $value ) || is_int( $value ) || is_float( $value ) ) {
		$value = (string) $value;
	}
	if ( ! is_string( $value ) ) {
		return '';
	}
	$value = wp_check_invalid_utf8( $value, true );
	if ( false !== strpos( $value, '<' ) ) {
		$value = wp_strip_all_tags( $value, false );
	}
	$value = str_replace( "\r\n", "\n", $value );
	$value = $keep_newlines
		? preg_replace( '/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/u', '', $value )
		: preg_replace( '/[\x00-\x1F\x7F]/u', '', $value );
	return trim( (string) $value );
}
