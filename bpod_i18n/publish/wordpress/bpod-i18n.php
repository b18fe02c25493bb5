<?php
/**
 * Plugin Name: bpod-i18n publishing fields
 * Description: Registers the post meta that `bpod-i18n publish` keeps on each post it writes
 *   (the entry's source slug and content hashes) and on each image it uploads (the image's
 *   content hash), so the REST API accepts and returns them. Without it WordPress silently
 *   drops unregistered meta, and bpod-i18n refuses to publish.
 * Version: 1
 *
 * Install: copy this file into wp-content/mu-plugins/ (a must-use plugin, always active).
 * The post types it serves are "post" and "fotos"; add others with the filter
 *   add_filter( 'bpod_i18n_post_types', fn( $types ) => array_merge( $types, array( 'entry' ) ) );
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'init',
	function () {
		// Only users who may edit a post read or write its meta through the REST API.
		$can_edit = function ( $allowed, $meta_key, $object_id ) {
			return current_user_can( 'edit_post', $object_id );
		};
		$string = array(
			'type'          => 'string',
			'single'        => true,
			'default'       => '',
			'show_in_rest'  => true,
			'auth_callback' => $can_edit,
		);
		foreach ( apply_filters( 'bpod_i18n_post_types', array( 'post', 'fotos' ) ) as $type ) {
			if ( ! post_type_exists( $type ) ) {
				continue;
			}
			// The REST API shows a post type's meta only when it supports custom fields.
			add_post_type_support( $type, 'custom-fields' );
			// The slug of the English entry this post translates: found again after a rename.
			register_post_meta( $type, 'bpod_i18n_source', $string );
			// Hash of everything bpod-i18n sent (text, date, terms, image): unchanged = no write.
			register_post_meta( $type, 'bpod_i18n_hash', $string );
			// Hash of title, content and excerpt as sent: differs once an editor changed them.
			register_post_meta( $type, 'bpod_i18n_text', $string );
		}
		// An uploaded image's SHA-256: the same picture is uploaded once.
		register_post_meta( 'attachment', 'bpod_i18n_image', $string );
	},
	// After the site's own post types are registered (they usually use the default, 10).
	20
);
