<?php
/**
 * Router for `php -S` (started by scripts/mediawiki.sh): logs every request, then hands it over.
 *
 * One JSON object per line is appended to the file named by the MW_REQUEST_LOG environment
 * variable: time, method, uri, path, query (raw query string), user_agent, headers (all request
 * headers), body (form POST bodies up to 64 KiB; the raw query string of the POST), and
 * helper (true when the request carried "X-Test-Helper: 1", i.e. came from the test helpers
 * themselves, not from the client under test).
 *
 * Injected faults: while the file named by MW_INJECT_FILE holds a JSON list of rules, the first
 * rule whose "path" is a prefix of the request path (default "/w/") answers the request instead
 * of MediaWiki: {"path": "/w/api.php", "status": 429, "headers": {"Retry-After": "1"},
 * "body": "...", "times": 1}. Each use decrements "times"; a rule is dropped at 0. Helper
 * requests (X-Test-Helper: 1) are never answered by a rule. The log line then has "injected".
 *
 * URL layout, like Wikipedia's: /w/api.php, /w/rest.php/v1/..., /w/index.php, /w/load.php are
 * real files under the docroot (docroot/w -> /usr/share/mediawiki) and are served by returning
 * false; /wiki/Title and / go to index.php.
 */

$log = getenv( 'MW_REQUEST_LOG' );
$uri = $_SERVER['REQUEST_URI'] ?? '/';
$path = parse_url( $uri, PHP_URL_PATH ) ?: '/';

$headers = function_exists( 'getallheaders' ) ? getallheaders() : [];
$lower = array_change_key_case( $headers, CASE_LOWER );
$helper = ( $lower['x-test-helper'] ?? '' ) === '1';

/** The first matching injected rule (consumed), or null. */
function frx_take_injected_rule( string $file, string $path ): ?array {
	if ( !is_file( $file ) ) {
		return null;
	}
	$fh = fopen( $file, 'c+' );
	if ( !$fh ) {
		return null;
	}
	flock( $fh, LOCK_EX );
	$rules = json_decode( (string)stream_get_contents( $fh ), true );
	$taken = null;
	if ( is_array( $rules ) ) {
		foreach ( $rules as $i => $rule ) {
			$prefix = $rule['path'] ?? '/w/';
			if ( strncmp( $path, $prefix, strlen( $prefix ) ) === 0 ) {
				$taken = $rule;
				$left = (int)( $rule['times'] ?? 1 ) - 1;
				if ( $left > 0 ) {
					$rules[$i]['times'] = $left;
				} else {
					array_splice( $rules, $i, 1 );
				}
				ftruncate( $fh, 0 );
				rewind( $fh );
				fwrite( $fh, json_encode( array_values( $rules ) ) );
				fflush( $fh );
				break;
			}
		}
	}
	flock( $fh, LOCK_UN );
	fclose( $fh );
	return $taken;
}

$inject = getenv( 'MW_INJECT_FILE' );
$rule = ( $inject && !$helper ) ? frx_take_injected_rule( $inject, $path ) : null;

if ( $log ) {
	$body = null;
	$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
	if ( $method === 'POST' ) {
		$type = $lower['content-type'] ?? '';
		if ( stripos( $type, 'multipart/form-data' ) !== false ) {
			// php://input is empty for multipart: log the parsed fields instead.
			$body = http_build_query( $_POST );
		} else {
			$body = substr( (string)file_get_contents( 'php://input' ), 0, 65536 );
		}
	}
	$entry = [
		'time' => microtime( true ),
		'method' => $method,
		'uri' => $uri,
		'path' => $path,
		'query' => $_SERVER['QUERY_STRING'] ?? '',
		'user_agent' => $lower['user-agent'] ?? null,
		'headers' => $headers,
		'body' => $body,
		'helper' => $helper,
	];
	if ( $rule !== null ) {
		$entry['injected'] = $rule['status'] ?? 500;
	}
	$line = json_encode( $entry, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE ) . "\n";
	file_put_contents( $log, $line, FILE_APPEND | LOCK_EX );
}

if ( $rule !== null ) {
	http_response_code( (int)( $rule['status'] ?? 500 ) );
	foreach ( $rule['headers'] ?? [] as $name => $value ) {
		header( "$name: $value" );
	}
	if ( !isset( array_change_key_case( $rule['headers'] ?? [], CASE_LOWER )['content-type'] ) ) {
		header( 'Content-Type: text/plain; charset=utf-8' );
	}
	echo $rule['body'] ?? '';
	return true;
}

if ( $path === '/' || strncmp( $path, '/wiki/', 6 ) === 0 ) {
	// Pretty article URLs: MediaWiki reads the title from REQUEST_URI ($wgArticlePath).
	$ip = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
	$_SERVER['SCRIPT_NAME'] = '/w/index.php';
	$_SERVER['PHP_SELF'] = '/w/index.php';
	$_SERVER['SCRIPT_FILENAME'] = "$ip/index.php";
	chdir( $ip );
	require "$ip/index.php";
	return true;
}

// Everything else (entry points with PATH_INFO, static files) the built-in server serves itself.
return false;
