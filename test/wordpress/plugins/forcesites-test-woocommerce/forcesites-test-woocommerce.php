<?php
/**
 * Plugin Name: ForceSites test WooCommerce routes
 * Description: TEST ONLY. Serves WooCommerce's REST routes /wc/v3/orders and /wc/v3/products in WooCommerce's documented shape from seeded rows, because WooCommerce itself cannot be installed on the test machines. Never install this on a real site.
 * Version: 0.1.0
 *
 * The seeded objects come from test/wordpress/seed-woocommerce.ts and are stored as JSON in
 * two tables of this plugin; this file does what WooCommerce's controllers do around them:
 * permission checks, filtering, ordering, paging headers, `_links` and WooCommerce's error
 * codes. It also defines WC_VERSION, as WooCommerce does, so a site running it reports
 * WooCommerce as active.
 */

defined( 'ABSPATH' ) || exit;

define( 'WC_VERSION', '8.6.1' );

register_activation_hook( __FILE__, 'forcesites_test_woocommerce_activate' );
add_action( 'rest_api_init', 'forcesites_test_woocommerce_routes' );
require_once __DIR__ . '/rest-api-keys.php';

function forcesites_test_woocommerce_tables() {
	global $wpdb;
	return array(
		'orders'   => $wpdb->prefix . 'fstest_wc_orders',
		'products' => $wpdb->prefix . 'fstest_wc_products',
		// WooCommerce's woocommerce_api_keys, same columns.
		'keys'     => $wpdb->prefix . 'fstest_wc_api_keys',
	);
}

function forcesites_test_woocommerce_activate() {
	global $wpdb;
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	$tables  = forcesites_test_woocommerce_tables();
	$charset = $wpdb->get_charset_collate();
	dbDelta(
		"CREATE TABLE {$tables['orders']} (
			id bigint(20) unsigned NOT NULL,
			status varchar(20) NOT NULL,
			customer_id bigint(20) unsigned NOT NULL DEFAULT 0,
			date_created datetime NOT NULL,
			date_created_gmt datetime NOT NULL,
			date_modified datetime NOT NULL,
			date_modified_gmt datetime NOT NULL,
			body longtext NOT NULL,
			PRIMARY KEY  (id),
			KEY date_created_gmt (date_created_gmt)
		) $charset;
		CREATE TABLE {$tables['keys']} (
			key_id bigint(20) unsigned NOT NULL auto_increment,
			user_id bigint(20) unsigned NOT NULL,
			description varchar(200) NULL,
			permissions varchar(10) NOT NULL,
			consumer_key char(64) NOT NULL,
			consumer_secret char(43) NOT NULL,
			nonces longtext NULL,
			truncated_key char(7) NOT NULL,
			last_access datetime NULL default null,
			PRIMARY KEY  (key_id),
			KEY consumer_key (consumer_key),
			KEY consumer_secret (consumer_secret)
		) $charset;
		CREATE TABLE {$tables['products']} (
			id bigint(20) unsigned NOT NULL,
			status varchar(20) NOT NULL,
			type varchar(20) NOT NULL,
			parent_id bigint(20) unsigned NOT NULL DEFAULT 0,
			sku varchar(100) NOT NULL DEFAULT '',
			body longtext NOT NULL,
			PRIMARY KEY  (id)
		) $charset;"
	);
	// WooCommerce gives administrators its capability on install, and adds its roles.
	$admin = get_role( 'administrator' );
	if ( $admin ) {
		$admin->add_cap( 'manage_woocommerce' );
	}
	add_role( 'customer', 'Customer', array( 'read' => true ) );
	add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'list_users' => true, 'manage_woocommerce' => true ) );
}

/**
 * Stores the seed (called by test/wordpress/php/install.php).
 *
 * @param array $seed {products: array, orders: array}
 */
function forcesites_test_woocommerce_seed( array $seed ) {
	global $wpdb;
	$tables = forcesites_test_woocommerce_tables();
	$rows   = array();
	foreach ( $seed['products'] as $product ) {
		$rows[] = $wpdb->prepare( '(%d, %s, %s, %d, %s, %s)', $product['id'], $product['status'], $product['type'], $product['parent_id'], $product['sku'], wp_json_encode( $product ) );
	}
	foreach ( array_chunk( $rows, 200 ) as $chunk ) {
		$wpdb->query( "INSERT INTO {$tables['products']} (id, status, type, parent_id, sku, body) VALUES " . implode( ',', $chunk ) );
	}
	$rows = array();
	foreach ( $seed['orders'] as $order ) {
		$rows[] = $wpdb->prepare(
			'(%d, %s, %d, %s, %s, %s, %s, %s)',
			$order['id'],
			$order['status'],
			$order['customer_id'],
			str_replace( 'T', ' ', $order['date_created'] ),
			str_replace( 'T', ' ', $order['date_created_gmt'] ),
			str_replace( 'T', ' ', $order['date_modified'] ),
			str_replace( 'T', ' ', $order['date_modified_gmt'] ),
			wp_json_encode( $order )
		);
	}
	foreach ( array_chunk( $rows, 200 ) as $chunk ) {
		$wpdb->query( "INSERT INTO {$tables['orders']} (id, status, customer_id, date_created, date_created_gmt, date_modified, date_modified_gmt, body) VALUES " . implode( ',', $chunk ) );
	}
}

function forcesites_test_woocommerce_routes() {
	$collection_args = array(
		'page'            => array(
			'type'    => 'integer',
			'default' => 1,
			'minimum' => 1,
		),
		'per_page'        => array(
			'type'    => 'integer',
			'default' => 10,
			'minimum' => 1,
			'maximum' => 100,
		),
		'order'           => array(
			'type'    => 'string',
			'default' => 'desc',
			'enum'    => array( 'asc', 'desc' ),
		),
		'orderby'         => array(
			'type'    => 'string',
			'default' => 'date',
			'enum'    => array( 'date', 'id', 'modified' ),
		),
		'after'           => array(
			'type'   => 'string',
			'format' => 'date-time',
		),
		'before'          => array(
			'type'   => 'string',
			'format' => 'date-time',
		),
		'modified_after'  => array(
			'type'   => 'string',
			'format' => 'date-time',
		),
		'modified_before' => array(
			'type'   => 'string',
			'format' => 'date-time',
		),
		'dates_are_gmt'   => array(
			'type'    => 'boolean',
			'default' => false,
		),
		'include'         => array(
			'type'    => 'array',
			'items'   => array( 'type' => 'integer' ),
			'default' => array(),
		),
	);
	register_rest_route(
		'wc/v3',
		'/orders',
		array(
			'methods'             => 'GET',
			'callback'            => 'forcesites_test_woocommerce_list_orders',
			'permission_callback' => 'forcesites_test_woocommerce_can_list',
			'args'                => $collection_args + array(
				'status'   => array(
					'type'    => 'array',
					'items'   => array(
						'type' => 'string',
						'enum' => array( 'any', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'trash' ),
					),
					'default' => array( 'any' ),
				),
				'customer' => array( 'type' => 'integer' ),
			),
		)
	);
	register_rest_route(
		'wc/v3',
		'/orders/(?P<id>[\d]+)',
		array(
			'methods'             => 'GET',
			'callback'            => 'forcesites_test_woocommerce_get_order',
			'permission_callback' => 'forcesites_test_woocommerce_can_read',
		)
	);
	register_rest_route(
		'wc/v3',
		'/products',
		array(
			'methods'             => 'GET',
			'callback'            => 'forcesites_test_woocommerce_list_products',
			'permission_callback' => 'forcesites_test_woocommerce_can_list',
			'args'                => $collection_args + array(
				'status' => array(
					'type'    => 'string',
					'default' => 'any',
					'enum'    => array( 'any', 'draft', 'pending', 'private', 'publish', 'trash' ),
				),
				'type'   => array(
					'type' => 'string',
					'enum' => array( 'simple', 'grouped', 'external', 'variable' ),
				),
				'sku'    => array( 'type' => 'string' ),
			),
		)
	);
	register_rest_route(
		'wc/v3',
		'/products/(?P<id>[\d]+)',
		array(
			'methods'             => 'GET',
			'callback'            => 'forcesites_test_woocommerce_get_product',
			'permission_callback' => 'forcesites_test_woocommerce_can_read',
		)
	);
}

/** WooCommerce's wording and codes for a missing capability (wc_rest_check_post_permissions). */
function forcesites_test_woocommerce_can_list() {
	if ( current_user_can( 'manage_woocommerce' ) ) {
		return true;
	}
	return new WP_Error( 'woocommerce_rest_cannot_view', __( 'Sorry, you cannot list resources.' ), array( 'status' => rest_authorization_required_code() ) );
}

function forcesites_test_woocommerce_can_read() {
	if ( current_user_can( 'manage_woocommerce' ) ) {
		return true;
	}
	return new WP_Error( 'woocommerce_rest_cannot_view', __( 'Sorry, you cannot view this resource.' ), array( 'status' => rest_authorization_required_code() ) );
}

/**
 * Builds WHERE, ORDER BY and paging for the common collection parameters.
 *
 * @return array{where: string[], order: string, limit: string, per_page: int, page: int}
 */
function forcesites_test_woocommerce_query_parts( WP_REST_Request $request, $with_dates ) {
	global $wpdb;
	$where = array();
	if ( $with_dates ) {
		$gmt = (bool) $request['dates_are_gmt'];
		foreach ( array(
			'after'           => array( 'date_created', '>' ),
			'before'          => array( 'date_created', '<' ),
			'modified_after'  => array( 'date_modified', '>' ),
			'modified_before' => array( 'date_modified', '<' ),
		) as $param => list( $column, $operator ) ) {
			if ( ! empty( $request[ $param ] ) ) {
				// WooCommerce compares to the site's local dates unless dates_are_gmt is set. A
				// date without a zone is taken as local (or GMT with dates_are_gmt); a date with
				// one is converted.
				$value     = $request[ $param ];
				$has_zone  = (bool) preg_match( '/(Z|[+-]\d{2}:?\d{2})$/i', $value );
				$timestamp = rest_parse_date( $value );
				if ( ! $gmt && $has_zone ) {
					$timestamp += (int) round( (float) get_option( 'gmt_offset' ) * HOUR_IN_SECONDS );
				}
				$where[] = $wpdb->prepare( ( $gmt ? "{$column}_gmt" : $column ) . " $operator %s", gmdate( 'Y-m-d H:i:s', $timestamp ) );
			}
		}
	}
	if ( ! empty( $request['include'] ) ) {
		$where[] = 'id IN (' . implode( ',', array_map( 'absint', (array) $request['include'] ) ) . ')';
	}
	$direction = 'asc' === $request['order'] ? 'ASC' : 'DESC';
	switch ( $request['orderby'] ) {
		case 'id':
			$order = "id $direction";
			break;
		case 'modified':
			$order = $with_dates ? "date_modified_gmt $direction, id $direction" : "id $direction";
			break;
		default:
			$order = $with_dates ? "date_created_gmt $direction, id $direction" : "id $direction";
	}
	$per_page = (int) $request['per_page'];
	$page     = (int) $request['page'];
	return array(
		'where'    => $where,
		'order'    => $order,
		'limit'    => sprintf( 'LIMIT %d OFFSET %d', $per_page, ( $page - 1 ) * $per_page ),
		'per_page' => $per_page,
		'page'     => $page,
	);
}

function forcesites_test_woocommerce_collection( $table, array $where, array $parts, $route, $decorate ) {
	global $wpdb;
	$sql_where = array() === $where ? '' : 'WHERE ' . implode( ' AND ', $where );
	$total     = (int) $wpdb->get_var( "SELECT COUNT(*) FROM $table $sql_where" );
	$bodies    = $wpdb->get_col( "SELECT body FROM $table $sql_where ORDER BY {$parts['order']} {$parts['limit']}" );
	$items     = array();
	foreach ( $bodies as $body ) {
		$items[] = call_user_func( $decorate, json_decode( $body, true ) );
	}
	$response    = rest_ensure_response( $items );
	$total_pages = (int) ceil( $total / $parts['per_page'] );
	$response->header( 'X-WP-Total', (string) $total );
	$response->header( 'X-WP-TotalPages', (string) $total_pages );
	$base = rest_url( $route );
	if ( $parts['page'] > 1 ) {
		$response->link_header( 'prev', add_query_arg( 'page', $parts['page'] - 1, $base ) );
	}
	if ( $parts['page'] < $total_pages ) {
		$response->link_header( 'next', add_query_arg( 'page', $parts['page'] + 1, $base ) );
	}
	return $response;
}

function forcesites_test_woocommerce_list_orders( WP_REST_Request $request ) {
	global $wpdb;
	$tables   = forcesites_test_woocommerce_tables();
	$parts    = forcesites_test_woocommerce_query_parts( $request, true );
	$where    = $parts['where'];
	$statuses = array_values( array_diff( (array) $request['status'], array( 'any' ) ) );
	if ( array() !== $statuses ) {
		$where[] = "status IN ('" . implode( "','", array_map( 'esc_sql', $statuses ) ) . "')";
	} else {
		$where[] = "status <> 'trash'";
	}
	if ( isset( $request['customer'] ) ) {
		$where[] = $wpdb->prepare( 'customer_id = %d', $request['customer'] );
	}
	return forcesites_test_woocommerce_collection( $tables['orders'], $where, $parts, 'wc/v3/orders', 'forcesites_test_woocommerce_order_links' );
}

function forcesites_test_woocommerce_get_order( WP_REST_Request $request ) {
	global $wpdb;
	$tables = forcesites_test_woocommerce_tables();
	$body   = $wpdb->get_var( $wpdb->prepare( "SELECT body FROM {$tables['orders']} WHERE id = %d", $request['id'] ) );
	if ( null === $body ) {
		return new WP_Error( 'woocommerce_rest_shop_order_invalid_id', __( 'Invalid ID.' ), array( 'status' => 404 ) );
	}
	return rest_ensure_response( forcesites_test_woocommerce_order_links( json_decode( $body, true ) ) );
}

function forcesites_test_woocommerce_order_links( array $order ) {
	$order['_links'] = array(
		'self'       => array( array( 'href' => rest_url( 'wc/v3/orders/' . $order['id'] ) ) ),
		'collection' => array( array( 'href' => rest_url( 'wc/v3/orders' ) ) ),
	);
	if ( $order['customer_id'] > 0 ) {
		$order['_links']['customer'] = array( array( 'href' => rest_url( 'wc/v3/customers/' . $order['customer_id'] ) ) );
	}
	return $order;
}

function forcesites_test_woocommerce_list_products( WP_REST_Request $request ) {
	global $wpdb;
	$tables  = forcesites_test_woocommerce_tables();
	$parts   = forcesites_test_woocommerce_query_parts( $request, false );
	$where   = $parts['where'];
	$where[] = "type <> 'variation'";
	$where[] = 'any' === $request['status'] ? "status <> 'trash'" : $wpdb->prepare( 'status = %s', $request['status'] );
	if ( ! empty( $request['type'] ) ) {
		$where[] = $wpdb->prepare( 'type = %s', $request['type'] );
	}
	if ( isset( $request['sku'] ) && '' !== $request['sku'] ) {
		$where[] = $wpdb->prepare( 'sku = %s', $request['sku'] );
	}
	return forcesites_test_woocommerce_collection( $tables['products'], $where, $parts, 'wc/v3/products', 'forcesites_test_woocommerce_product_links' );
}

function forcesites_test_woocommerce_get_product( WP_REST_Request $request ) {
	global $wpdb;
	$tables = forcesites_test_woocommerce_tables();
	$body   = $wpdb->get_var( $wpdb->prepare( "SELECT body FROM {$tables['products']} WHERE id = %d", $request['id'] ) );
	if ( null === $body ) {
		return new WP_Error( 'woocommerce_rest_product_invalid_id', __( 'Invalid ID.' ), array( 'status' => 404 ) );
	}
	return rest_ensure_response( forcesites_test_woocommerce_product_links( json_decode( $body, true ) ) );
}

function forcesites_test_woocommerce_product_links( array $product ) {
	$product['permalink'] = home_url( '/product/' . $product['slug'] . '/' );
	$product['_links']    = array(
		'self'       => array( array( 'href' => rest_url( 'wc/v3/products/' . $product['id'] ) ) ),
		'collection' => array( array( 'href' => rest_url( 'wc/v3/products' ) ) ),
	);
	if ( $product['parent_id'] > 0 ) {
		$product['_links']['up'] = array( array( 'href' => rest_url( 'wc/v3/products/' . $product['parent_id'] ) ) );
	}
	return $product;
}
