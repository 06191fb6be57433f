/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Face images to files: a JPEG is written as it is; JPEG 2000 (JP2 file or
 * J2K codestream) is decoded with OpenJPEG and written as PNG, which every
 * viewer shows.  The image bytes come from a chip: OpenJPEG reads them from
 * memory through a bounded stream, and the decoded size is checked before
 * anything is allocated for the PNG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openjpeg.h>
#include <png.h>

#include "lds.h"
#include "diag.h"

#define MAX_PIXELS (8192u * 8192u)

struct mem_stream {
	const uint8_t *data;
	size_t len, pos;
};

static OPJ_SIZE_T mem_read(void *buf, OPJ_SIZE_T n, void *user)
{
	struct mem_stream *m = user;
	size_t left = m->len - m->pos;

	if (left == 0)
		return (OPJ_SIZE_T)-1;
	if (n > left)
		n = left;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return n;
}

static OPJ_OFF_T mem_skip(OPJ_OFF_T n, void *user)
{
	struct mem_stream *m = user;

	if (n < 0 || (size_t)n > m->len - m->pos)
		return -1;
	m->pos += (size_t)n;
	return n;
}

static OPJ_BOOL mem_seek(OPJ_OFF_T n, void *user)
{
	struct mem_stream *m = user;

	if (n < 0 || (size_t)n > m->len)
		return OPJ_FALSE;
	m->pos = (size_t)n;
	return OPJ_TRUE;
}

static void quiet(const char *msg, void *user)
{
	(void)msg;
	(void)user;
}

static opj_image_t *decode_j2k(const uint8_t *data, size_t len, enum eid_lds_image_type type)
{
	struct mem_stream m = { data, len, 0 };
	opj_codec_t *codec = opj_create_decompress(type == EID_LDS_IMAGE_JP2 ? OPJ_CODEC_JP2
									       : OPJ_CODEC_J2K);
	opj_stream_t *st = opj_stream_default_create(OPJ_TRUE);
	opj_dparameters_t params;
	opj_image_t *img = NULL;

	if (!codec || !st)
		goto fail;
	opj_set_info_handler(codec, quiet, NULL);
	opj_set_warning_handler(codec, quiet, NULL);
	opj_set_error_handler(codec, quiet, NULL);
	opj_set_default_decoder_parameters(&params);
	opj_stream_set_user_data(st, &m, NULL);
	opj_stream_set_user_data_length(st, len);
	opj_stream_set_read_function(st, mem_read);
	opj_stream_set_skip_function(st, mem_skip);
	opj_stream_set_seek_function(st, mem_seek);
	if (!opj_setup_decoder(codec, &params) || !opj_read_header(st, codec, &img) ||
	    !img || img->numcomps < 1 ||
	    (uint64_t)img->x1 * img->y1 > MAX_PIXELS ||
	    !opj_decode(codec, st, img) || !opj_end_decompress(codec, st))
		goto fail;
	opj_stream_destroy(st);
	opj_destroy_codec(codec);
	return img;
fail:
	opj_image_destroy(img);
	if (st)
		opj_stream_destroy(st);
	if (codec)
		opj_destroy_codec(codec);
	return NULL;
}

/* One sample scaled to 8 bits. */
static png_byte sample(const opj_image_comp_t *c, size_t i)
{
	int v = c->data[i] + (c->sgnd ? 1 << (c->prec - 1) : 0);

	if (c->prec > 8)
		v >>= c->prec - 8;
	else if (c->prec < 8)
		v <<= 8 - c->prec;
	return (png_byte)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static int write_png(const opj_image_t *img, FILE *f)
{
	const opj_image_comp_t *c = img->comps;
	int ncomp = img->numcomps >= 3 ? 3 : 1;
	size_t w = c[0].w, h = c[0].h;
	png_structp png = NULL;
	png_infop info = NULL;
	png_bytep row = NULL;
	volatile int ret = -1; /* set after the last libpng call that may longjmp */

	for (int i = 1; i < ncomp; i++)
		if (c[i].w != w || c[i].h != h || !c[i].data)
			return -1; /* subsampled colour planes are not supported */
	if (!c[0].data || w == 0 || h == 0 || w * h > MAX_PIXELS)
		return -1;
	row = malloc(w * (size_t)ncomp);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!row || !info)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     ncomp == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (size_t y = 0; y < h; y++) {
		for (size_t x = 0; x < w; x++)
			for (int k = 0; k < ncomp; k++)
				row[x * (size_t)ncomp + (size_t)k] = sample(&c[k], y * w + x);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	ret = 0;
out:
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	return ret;
}

int diag_write_face(const struct eid_lds_face *face, const char *path)
{
	FILE *f;
	opj_image_t *img = NULL;
	int r = -1;

	if (face->image_type == EID_LDS_IMAGE_JP2 || face->image_type == EID_LDS_IMAGE_J2K) {
		img = decode_j2k(face->image.data, face->image.len, face->image_type);
		if (!img) {
			diag_err("the JPEG 2000 face image cannot be decoded");
			return -1;
		}
	}
	f = fopen(path, "wb");
	if (!f) {
		diag_err("cannot write %s", path);
		opj_image_destroy(img);
		return -1;
	}
	if (img)
		r = write_png(img, f);
	else
		r = fwrite(face->image.data, 1, face->image.len, f) == face->image.len ? 0 : -1;
	if (fclose(f) != 0)
		r = -1;
	if (r < 0)
		diag_err("cannot write the face image to %s", path);
	opj_image_destroy(img);
	return r;
}
