<?php
/**
 * Settings → ForceSites: which user meta keys ForceSites may read and write.
 * Uses the Settings API, so saving checks the nonce and manage_options.
 */

defined( 'ABSPATH' ) || exit;

function forcesites_companion_admin_menu() {
	add_options_page(
		__( 'ForceSites', 'forcesites-companion' ),
		__( 'ForceSites', 'forcesites-companion' ),
		'manage_options',
		'forcesites-companion',
		'forcesites_companion_render_settings_page'
	);
}
add_action( 'admin_menu', 'forcesites_companion_admin_menu' );

function forcesites_companion_admin_init() {
	register_setting(
		'forcesites_companion',
		FORCESITES_COMPANION_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'forcesites_companion_sanitize_option',
			'default'           => array(),
			'show_in_rest'      => false,
		)
	);
}
add_action( 'admin_init', 'forcesites_companion_admin_init' );

/**
 * Keeps the keys that pass and reports the others on the page.
 *
 * @param mixed $value Text from the form (one key per line) or an array.
 * @return string[]
 */
function forcesites_companion_sanitize_option( $value ) {
	$checked = forcesites_companion_check_keys( $value );
	foreach ( $checked['refused'] as $key => $problem ) {
		add_settings_error(
			FORCESITES_COMPANION_OPTION,
			'forcesites_refused_' . md5( $key ),
			/* translators: 1: a meta key, 2: why it was refused. */
			sprintf( __( '"%1$s" was not exposed: %2$s', 'forcesites-companion' ), $key, $problem )
		);
	}
	return $checked['keys'];
}

function forcesites_companion_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$keys = forcesites_companion_meta_keys();
	?>
	<div class="wrap">
		<h1><?php echo esc_html__( 'ForceSites', 'forcesites-companion' ); ?></h1>
		<p>
			<?php echo esc_html__( 'ForceSites reads users through the WordPress REST API. WordPress only returns the user meta keys listed here (and the tags ForceSites keeps in forcesites_tags), and only to accounts that can list users.', 'forcesites-companion' ); ?>
		</p>
		<?php settings_errors( FORCESITES_COMPANION_OPTION ); ?>
		<form method="post" action="options.php">
			<?php settings_fields( 'forcesites_companion' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row">
						<label for="forcesites-meta-keys"><?php echo esc_html__( 'User meta keys', 'forcesites-companion' ); ?></label>
					</th>
					<td>
						<textarea id="forcesites-meta-keys" name="<?php echo esc_attr( FORCESITES_COMPANION_OPTION ); ?>" rows="8" cols="50" class="large-text code"><?php echo esc_textarea( implode( "\n", $keys ) ); ?></textarea>
						<p class="description">
							<?php echo esc_html__( 'One key per line, for example billing_phone. Keys holding passwords, sessions, roles or capabilities are refused.', 'forcesites-companion' ); ?>
						</p>
					</td>
				</tr>
			</table>
			<?php submit_button(); ?>
		</form>
		<h2><?php echo esc_html__( 'What ForceSites sees on this site', 'forcesites-companion' ); ?></h2>
		<ul>
			<li>
				<?php
				/* translators: %s: the plugin version. */
				echo esc_html( sprintf( __( 'Plugin version: %s', 'forcesites-companion' ), FORCESITES_COMPANION_VERSION ) );
				?>
			</li>
			<li>
				<?php
				echo esc_html(
					wp_is_application_passwords_available()
						? __( 'Application passwords: available (create one under Users → Profile for the account ForceSites uses).', 'forcesites-companion' )
						: __( 'Application passwords: not available. WordPress offers them only over HTTPS (or on a site marked as local).', 'forcesites-companion' )
				);
				?>
			</li>
			<li>
				<?php
				echo esc_html(
					null !== forcesites_companion_woocommerce_version()
						? __( 'WooCommerce: active (ForceSites can read orders).', 'forcesites-companion' )
						: __( 'WooCommerce: not active.', 'forcesites-companion' )
				);
				?>
			</li>
		</ul>
	</div>
	<?php
}
