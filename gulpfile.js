const { src, dest } = require('gulp');

/** tsc emits no images: copy the icons into dist/ at the same relative paths. */
function buildIcons() {
	// encoding: false keeps binary icons (PNG) intact under gulp 5.
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
