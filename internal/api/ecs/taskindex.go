package ecs

// taskIndex finds tasks by something that never changes once a task is
// launched (its service, its group), so that what concerns one service
// (its counts in DescribeServices, ListTasks of a service, the scheduler's
// snapshot, spreading a launch over subnets) costs its own tasks, not
// every task of the region: with 1,000 services that is 1,000 times less.
type taskIndex map[string]map[string]*Task // key → task ARN → task

func (ix taskIndex) add(key string, t *Task) {
	m := ix[key]
	if m == nil {
		m = map[string]*Task{}
		ix[key] = m
	}
	m[*t.TaskArn] = t
}

func (ix taskIndex) remove(key string, t *Task) {
	m := ix[key]
	delete(m, *t.TaskArn)
	if len(m) == 0 {
		delete(ix, key)
	}
}

// putTask stores a task under its ARN and in the indexes. Callers hold
// the lock.
func (s *Store) putTask(arn string, t *Task) {
	s.dropTask(arn)
	s.tasks[arn] = t
	s.byService.add(t.ServiceARN, t)
	s.byGroup.add(deref(t.Group), t)
}

// dropTask forgets a task. Callers hold the lock.
func (s *Store) dropTask(arn string) {
	if t := s.tasks[arn]; t != nil {
		s.byService.remove(t.ServiceARN, t)
		s.byGroup.remove(deref(t.Group), t)
	}
	delete(s.tasks, arn)
}
