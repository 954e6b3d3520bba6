<?php
/**
 * A file repository in which every "File:Flag of ....svg" exists (test server only).
 *
 * English Wikipedia renders {{flag|X}} as an <img> of "Flag of X.svg" from Commons. Without the
 * image the test wiki would render a red "File:Flag of X.svg" link instead, whose text leaks
 * into table cells. This repository answers for any flag file name: on first use it writes a
 * small grey 3:2 SVG under its directory, so both the legacy parser and Parsoid emit an image
 * (23x15, thumbnail URL .../thumb/d/d3/Flag_of_X.svg/23px-Flag_of_X.svg.png like Commons).
 * Thumbnails are never rendered (transformVia404); nothing downloads them anyway.
 *
 * Registered by scripts/mediawiki.sh in LocalSettings.php as a foreign repo:
 *   $wgForeignFileRepos[] = [ 'class' => FlagRepo::class, 'name' => 'testflags',
 *       'directory' => "$dir/flags", 'url' => '/flags', 'hashLevels' => 2, 'transformVia404' => true ];
 * A real upload with the same name in the local repository takes precedence.
 */

class FlagRepo extends FileRepo {
	private const SVG = '<?xml version="1.0" encoding="UTF-8"?>' . "\n" .
		'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600" viewBox="0 0 900 600">' .
		'<rect width="900" height="600" fill="#999"/></svg>' . "\n";

	/** @var string */
	private $flagDirectory;

	public function __construct( array $info = null ) {
		parent::__construct( $info );
		$this->flagDirectory = $info['directory'];
	}

	/**
	 * @param Title|string $title
	 * @param array $options
	 * @return File|false
	 */
	public function findFile( $title, $options = [] ) {
		$title = File::normalizeTitle( $title );
		if ( !$title || !preg_match( '/^Flag_of_.+\.svg$/i', $title->getDBkey() ) ) {
			return false;
		}
		$name = $title->getDBkey();
		$dir = $this->flagDirectory . '/' . rtrim( $this->getHashPath( $name ), '/' );
		$path = "$dir/$name";
		if ( !is_file( $path ) ) {
			if ( !is_dir( $dir ) ) {
				@mkdir( $dir, 0777, true );
			}
			file_put_contents( $path, self::SVG, LOCK_EX );
		}
		return new UnregisteredLocalFile( $title, $this, false, 'image/svg+xml' );
	}

	/**
	 * @param Title|string $title
	 * @param array $options
	 * @return File|false
	 */
	public function newFile( $title, $time = false ) {
		return $this->findFile( $title );
	}
}
