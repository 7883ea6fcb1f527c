/*
 * writer: POST bodies are ingested on one writer thread, off the pool.
 *
 * Design note: an ingest takes from milliseconds to seconds (the library
 * loads its event state for every ingest run), and libmicrohttpd binds
 * each connection to one pool thread, so an ingest run in a pool thread
 * would stall every reader whose connection happens to live on that
 * thread (wrk saw 1.6 s tails and timeouts).  Instead the pool thread
 * suspends the POST's connection and queues the request here; the writer
 * thread runs the handler on its own database connection, drops the
 * response cache after a successful store, marks the request done and
 * resumes the connection, whose pool thread then sends the answer.  SQLite
 * takes one writer at a time anyway, so one thread loses nothing.
 *
 * The queue holds at most SRV_WRITER_QUEUE requests; past that a POST is
 * answered 503 at once.  On shutdown the writer finishes the ingest under
 * way and answers what is still queued with 503, resuming every
 * connection before the daemon stops.
 */
#include "server.h"

#include <microhttpd.h>
#include <pthread.h>
#include <string.h>

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	srv_req *head, *tail;
	size_t n;
	int running, quit;
	pthread_t th;
} W = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void finish(srv_req *r)
{
	r->job = SRV_JOB_DONE;
	MHD_resume_connection(r->conn);
}

static void *writer_main(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&W.mu);
		while (!W.head && !W.quit)
			pthread_cond_wait(&W.cv, &W.mu);
		srv_req *r = W.head;
		if (r) {
			W.head = r->next;
			if (!W.head)
				W.tail = NULL;
			W.n--;
			r->next = NULL;
		}
		int quit = W.quit;
		pthread_mutex_unlock(&W.mu);
		if (!r)
			break; /* quit, and nothing left */
		if (quit) {
			srv_error(r, 503, "the server is stopping; nothing was stored");
		} else {
			r->db = NULL; /* this thread's own connection */
			if (srv_db(r)) {
				r->route->post(r, r->id);
				if (r->status == 201)
					srv_cache_invalidate();
			}
		}
		finish(r);
	}
	return NULL;
}

int srv_writer_start(void)
{
	W.quit = 0;
	if (pthread_create(&W.th, NULL, writer_main, NULL))
		return -1;
	W.running = 1;
	return 0;
}

void srv_writer_stop(void)
{
	if (!W.running)
		return;
	pthread_mutex_lock(&W.mu);
	W.quit = 1;
	pthread_cond_signal(&W.cv);
	pthread_mutex_unlock(&W.mu);
	pthread_join(W.th, NULL);
	W.running = 0;
}

int srv_writer_submit(srv_req *r)
{
	pthread_mutex_lock(&W.mu);
	if (!W.running || W.quit) {
		pthread_mutex_unlock(&W.mu);
		return -1;
	}
	if (W.n >= SRV_WRITER_QUEUE) {
		pthread_mutex_unlock(&W.mu);
		return -2;
	}
	/* suspended before the writer can see it, so its resume always
	 * follows this suspend */
	MHD_suspend_connection(r->conn);
	r->job = SRV_JOB_QUEUED;
	r->next = NULL;
	if (W.tail)
		W.tail->next = r;
	else
		W.head = r;
	W.tail = r;
	W.n++;
	pthread_cond_signal(&W.cv);
	pthread_mutex_unlock(&W.mu);
	return 0;
}
