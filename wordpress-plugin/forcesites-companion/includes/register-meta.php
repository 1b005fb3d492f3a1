<?php
/**
 * Registers the exposed user meta with the REST API.
 *
 * WordPress returns user meta in /wp/v2/users only for keys registered with show_in_rest.
 * Each key here is visible only with `context=edit` (which already needs list_users for the
 * collection and edit_user for one user), hidden from anyone who cannot list users (so a
 * subscriber reading /users/me?context=edit does not see their own tags), and writable only
 * by users who can edit other users (tags may grant access; members must not set their own).
 */

defined( 'ABSPATH' ) || exit;

/** The longest tag ForceSites accepts: Salesforce picklist values hold at most 255 characters. */
const FORCESITES_COMPANION_TAG_MAX_LENGTH = 255;
const FORCESITES_COMPANION_MAX_TAGS       = 1000;

function forcesites_companion_register_meta() {
	register_meta(
		'user',
		FORCESITES_COMPANION_TAGS_KEY,
		array(
			'type'              => 'array',
			'single'            => true,
			'default'           => array(),
			'description'       => __( 'Tags ForceSites keeps for this user (a list of text values).', 'forcesites-companion' ),
			'sanitize_callback' => 'forcesites_companion_sanitize_tags',
			'auth_callback'     => 'forcesites_companion_can_write_meta',
			'show_in_rest'      => array(
				'schema' => array(
					'type'     => 'array',
					'context'  => array( 'edit' ),
					'maxItems' => FORCESITES_COMPANION_MAX_TAGS,
					'items'    => array(
						'type'      => 'string',
						'maxLength' => FORCESITES_COMPANION_TAG_MAX_LENGTH,
					),
				),
			),
		)
	);

	foreach ( forcesites_companion_meta_keys() as $key ) {
		register_meta(
			'user',
			$key,
			array(
				'type'              => 'string',
				'single'            => true,
				'default'           => '',
				'sanitize_callback' => 'forcesites_companion_sanitize_meta_value',
				'auth_callback'     => 'forcesites_companion_can_write_meta',
				'show_in_rest'      => array(
					'schema' => array(
						'type'    => 'string',
						'context' => array( 'edit' ),
					),
				),
			)
		);
	}
}

/**
 * auth_callback for every key this plugin registers.
 *
 * @param bool   $allowed         Ignored: the decision is this plugin's.
 * @param string $meta_key        The key.
 * @param int    $user_id         The user whose meta changes.
 * @param int    $current_user_id The user making the change.
 * @return bool
 */
function forcesites_companion_can_write_meta( $allowed, $meta_key, $user_id, $current_user_id = 0 ) {
	$current_user_id = $current_user_id ? $current_user_id : get_current_user_id();
	return user_can( $current_user_id, 'edit_users' ) && user_can( $current_user_id, 'edit_user', $user_id );
}

/**
 * @param mixed $value The tags as sent.
 * @return string[] Cleaned tags, empty ones and exact repeats dropped, order kept.
 */
function forcesites_companion_sanitize_tags( $value ) {
	if ( ! is_array( $value ) ) {
		$value = ( null === $value || '' === $value ) ? array() : array( $value );
	}
	$tags = array();
	foreach ( $value as $tag ) {
		$tag = forcesites_companion_clean_text( $tag );
		if ( '' !== $tag && ! in_array( $tag, $tags, true ) ) {
			$tags[] = $tag;
		}
	}
	return $tags;
}

/**
 * @param mixed $value The value as sent.
 * @return string
 */
function forcesites_companion_sanitize_meta_value( $value ) {
	return forcesites_companion_clean_text( $value, true );
}

/**
 * Removes this plugin's keys from a user's REST answer unless the reader can list users.
 *
 * @param WP_REST_Response $response The prepared user.
 * @return WP_REST_Response
 */
function forcesites_companion_hide_meta_from_members( $response ) {
	if ( current_user_can( 'list_users' ) ) {
		return $response;
	}
	$data = $response->get_data();
	if ( isset( $data['meta'] ) && is_array( $data['meta'] ) ) {
		foreach ( array_merge( array( FORCESITES_COMPANION_TAGS_KEY ), forcesites_companion_meta_keys() ) as $key ) {
			unset( $data['meta'][ $key ] );
		}
		$response->set_data( $data );
	}
	return $response;
}
add_filter( 'rest_prepare_user', 'forcesites_companion_hide_meta_from_members' );
