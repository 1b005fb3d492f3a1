<?php
/**
 * REST routes under forcesites/v1.
 *
 * GET  /info      what ForceSites needs to know to say whether a site is ready;
 *                 for users who can list users (the account ForceSites signs in with).
 * GET  /settings  the exposed meta keys; administrators (manage_options).
 * POST /settings  {"meta_keys": [...]} replaces them; refused keys come back with the reason.
 */

defined( 'ABSPATH' ) || exit;

const FORCESITES_COMPANION_NAMESPACE = 'forcesites/v1';

function forcesites_companion_register_routes() {
	register_rest_route(
		FORCESITES_COMPANION_NAMESPACE,
		'/info',
		array(
			'methods'             => WP_REST_Server::READABLE,
			'callback'            => 'forcesites_companion_rest_info',
			'permission_callback' => 'forcesites_companion_can_read_info',
		)
	);
	register_rest_route(
		FORCESITES_COMPANION_NAMESPACE,
		'/settings',
		array(
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => 'forcesites_companion_rest_get_settings',
				'permission_callback' => 'forcesites_companion_can_manage',
			),
			array(
				'methods'             => WP_REST_Server::EDITABLE,
				'callback'            => 'forcesites_companion_rest_update_settings',
				'permission_callback' => 'forcesites_companion_can_manage',
				'args'                => array(
					'meta_keys' => array(
						'description' => __( 'The user meta keys to expose.', 'forcesites-companion' ),
						'type'        => 'array',
						'items'       => array( 'type' => 'string' ),
						'required'    => true,
					),
				),
			),
		)
	);
}

/** @return true|WP_Error */
function forcesites_companion_can_read_info() {
	if ( ! is_user_logged_in() ) {
		return new WP_Error( 'rest_not_logged_in', __( 'Sign in with an application password to read ForceSites information.', 'forcesites-companion' ), array( 'status' => 401 ) );
	}
	if ( ! current_user_can( 'list_users' ) ) {
		return new WP_Error( 'rest_forbidden', __( 'This account cannot list users, so ForceSites cannot work with it. Use an administrator account.', 'forcesites-companion' ), array( 'status' => rest_authorization_required_code() ) );
	}
	return true;
}

/** @return true|WP_Error */
function forcesites_companion_can_manage() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return new WP_Error( 'rest_forbidden', __( 'Only administrators can change which user fields ForceSites sees.', 'forcesites-companion' ), array( 'status' => rest_authorization_required_code() ) );
	}
	return true;
}

function forcesites_companion_woocommerce_version() {
	if ( defined( 'WC_VERSION' ) ) {
		return (string) WC_VERSION;
	}
	if ( class_exists( 'WooCommerce' ) && function_exists( 'WC' ) && isset( WC()->version ) ) {
		return (string) WC()->version;
	}
	return null;
}

/** @return WP_REST_Response */
function forcesites_companion_rest_info() {
	$woocommerce_version = forcesites_companion_woocommerce_version();
	return rest_ensure_response(
		array(
			'plugin_version'                  => FORCESITES_COMPANION_VERSION,
			'wordpress_version'               => get_bloginfo( 'version' ),
			'site_name'                       => wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ),
			'meta_keys'                       => forcesites_companion_meta_keys(),
			'tags_meta_key'                   => FORCESITES_COMPANION_TAGS_KEY,
			'woocommerce_active'              => null !== $woocommerce_version,
			'woocommerce_version'             => $woocommerce_version,
			'application_passwords_available' => wp_is_application_passwords_available(),
			'can_list_users'                  => current_user_can( 'list_users' ),
			'can_edit_users'                  => current_user_can( 'edit_users' ),
			'can_create_users'                => current_user_can( 'create_users' ),
		)
	);
}

/** @return WP_REST_Response */
function forcesites_companion_rest_get_settings() {
	return rest_ensure_response(
		array(
			'meta_keys' => forcesites_companion_meta_keys(),
			'refused'   => (object) array(),
		)
	);
}

/**
 * @param WP_REST_Request $request The request.
 * @return WP_REST_Response|WP_Error
 */
function forcesites_companion_rest_update_settings( $request ) {
	$checked = forcesites_companion_check_keys( $request['meta_keys'] );
	if ( array() !== $checked['refused'] ) {
		return new WP_Error(
			'forcesites_invalid_meta_keys',
			__( 'Some meta keys cannot be exposed; nothing was changed.', 'forcesites-companion' ),
			array(
				'status'  => 400,
				'refused' => (object) $checked['refused'],
			)
		);
	}
	update_option( FORCESITES_COMPANION_OPTION, $checked['keys'], false );
	return rest_ensure_response(
		array(
			'meta_keys' => $checked['keys'],
			'refused'   => (object) array(),
		)
	);
}
