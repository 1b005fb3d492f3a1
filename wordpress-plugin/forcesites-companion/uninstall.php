<?php
/**
 * Runs when an administrator deletes the plugin (Plugins → Delete), not on deactivation.
 *
 * Removes the plugin's one option. The `forcesites_tags` user meta stays: it is your members'
 * data (synchronised with Salesforce), not the plugin's; README.md says how to remove it.
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'forcesites_companion_meta_keys' );
