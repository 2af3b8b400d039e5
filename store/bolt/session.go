package bolt

import (
	"occhealth/app"
	"occhealth/store/kv"
)

// SessionUser loads user id as stored, without a role check: the server calls it on every
// request to turn a session token into the context's user, so that a user disabled or changed
// since the login is seen at once. ENOTFOUND for a user that does not exist.
func (db *DB) SessionUser(id int64) (*app.User, error) {
	var u app.User
	db.mu.RLock()
	defer db.mu.RUnlock()
	err := db.kv.View(func(tx kv.Tx) error {
		_, ok, err := get(tx, bucketUsers, uint64(id), &u)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "用户 %d 不存在", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
